import type { TCreateTaskInput, TOrg, TTask } from "@tandem/contracts";
import { addMemberToTeam, type Database, ensureMember, getOrg, insertTeam } from "@tandem/database";
import { newId } from "@tandem/util";
import { type CommitNotifier, type Ctx, ignoreCommits } from "../context.ts";
import { createOrg } from "../orgs.ts";
import { type GithubApi, partialServices, type Services } from "../services.ts";
import { createTask } from "../tasks/create.ts";

export { taskFixture } from "./task-fixture.ts";

let counter = 0;
/** Unique per call and per process, so parallel test files never collide on slugs. */
export function uniqueSuffix(): string {
  counter += 1;
  return `${process.pid.toString(36)}${Date.now().toString(36)}${counter.toString(36)}`;
}

/**
 * Test writes tell nobody in-process by default (`notify`): a backend under test learns of
 * them as of another process's, by NOTIFY or its poll.
 */

/** A fresh org owned (as administrator) by `ownerId`. */
export async function createTestOrg(
  db: Database,
  {
    ownerId,
    prefix = "ENG",
    name,
    notify = ignoreCommits,
  }: { ownerId: string; prefix?: string; name?: string; notify?: CommitNotifier },
): Promise<TOrg> {
  const suffix = uniqueSuffix();
  const input = { name: name ?? `Org ${suffix}`, slug: `org-${suffix}`, prefix };
  return createOrg({ ctx: { db, notify, services: partialServices(), userId: ownerId }, input });
}

/** Adds `userId` to the org with exactly `permissions` (through a team of its own). */
export async function addTestMember(
  db: Database,
  { orgId, userId, permissions }: { orgId: string; userId: string; permissions: string[] },
): Promise<void> {
  await db.transaction(async (tx) => {
    const { row: member } = await ensureMember(tx, { id: newId("mem"), orgId, userId });
    if (permissions.length === 0) return;
    const teamId = newId("team");
    await insertTeam(tx, { id: teamId, orgId, name: `team-${uniqueSuffix()}`, permissions });
    await addMemberToTeam(tx, { orgId, teamId, memberId: member.id });
  });
}

/** GitHub as seen without a token or an installation: nothing can be checked, every check is denied. */
export const NO_GITHUB: GithubApi = {
  repoAccess: async () => ({ ok: false, reason: "denied" }),
  installation: null,
  userInstallations: async () => ({ ok: false, reason: "denied" }),
};

/**
 * A system actor's context in an org: every permission, no user; the services a test gives
 * (none by default: a verb using one is refused, see `partialServices`).
 */
export async function systemCtx(
  db: Database,
  orgId: string,
  { notify = ignoreCommits, services = {} }: { notify?: CommitNotifier; services?: Partial<Services> } = {},
): Promise<Ctx> {
  const org = await getOrg(db, { orgId });
  if (!org) throw new Error(`no org ${orgId}`);
  return { db, notify, services: partialServices(services), org, actor: { type: "system", userId: null } };
}

export async function createTestTask(
  db: Database,
  orgId: string,
  input: Partial<TCreateTaskInput> = {},
): Promise<TTask> {
  return createTask({ ctx: await systemCtx(db, orgId), input: { title: `Task ${uniqueSuffix()}`, ...input } });
}
