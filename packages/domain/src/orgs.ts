import type { TCreateOrgInput, TMe, TOrg, TPermission, TUpdateOrgInput } from "@tandem/contracts";
import {
  addMemberToTeam,
  deleteOrg as deleteOrgRow,
  ensureMember,
  insertOrg,
  insertTeam,
  type OrgRow,
  systemGetUser,
  systemListOrgsForUser,
  updateOrg as updateOrgRow,
} from "@tandem/database";
import { traced } from "@tandem/opentelemetry";
import { newId } from "@tandem/util";
import { defineMutation, defineQuery, type TxCtx, type UserCtx, withTransaction } from "./context.ts";
import { conflict, isUniqueViolation, notFound } from "./errors.ts";
import { toOrgDto } from "./mappers.ts";
import { insertProjectWithDefaults } from "./projects/defaults.ts";
import { mirrorLegacyPublicSettings } from "./public-legacy.ts";
import { recordEvent } from "./record-event.ts";

function slugTaken(error: unknown): never {
  if (isUniqueViolation(error)) throw conflict("That slug is already taken");
  throw error;
}

/** Creates an org whose creator holds `admin.administrator` through an Administrators team. */
export function createOrg({ ctx: user, input }: { ctx: UserCtx; input: TCreateOrgInput }): Promise<TOrg> {
  const { userId } = user;
  return traced("org.create", () =>
    withTransaction({ ...user, org: { id: newId("org") } }, async ({ tx, afterCommit, org: { id } }) => {
      const org = await insertOrg(tx, { id, ...input, createdBy: userId });
      const teamId = newId("team");
      await insertTeam(tx, {
        id: teamId,
        orgId: org.id,
        name: "Administrators",
        permissions: ["admin.administrator"],
      });
      const { row: member } = await ensureMember(tx, { id: newId("mem"), orgId: org.id, userId });
      await addMemberToTeam(tx, { orgId: org.id, teamId, memberId: member.id });
      const actor = { type: "user" as const, userId, permissions: new Set<string>() };
      const ctx: TxCtx = { db: user.db, notify: user.notify, services: user.services, tx, afterCommit, org, actor };
      await recordEvent(ctx, { type: "CREATE_ORG", payload: { org: toOrgDto(org) } });
      // Every org has a project from the start, keyed by the org's prefix, with the default
      // workflow. Part of the org as CREATE_ORG announces it: nobody can follow the org yet.
      await insertProjectWithDefaults(tx, {
        orgId: org.id,
        key: org.prefix.toUpperCase(),
        name: org.name,
        createdBy: userId,
      });
      return toOrgDto(org);
    }).catch(slugTaken),
  );
}

export async function getMe({ ctx: { db, userId } }: { ctx: UserCtx; input: undefined }): Promise<TMe> {
  return traced("me.get", async () => {
    const user = await systemGetUser(db, { userId });
    if (!user) throw notFound("User");
    const orgs = await systemListOrgsForUser(db, { userId });
    return {
      user: { id: user.id, name: user.name, email: user.email, image: user.image ?? null },
      orgs: orgs.map(({ org, permissions }) => ({ ...toOrgDto(org), permissions: permissions as TPermission[] })),
    };
  });
}

export const getOrg = defineQuery<void, TOrg>("org.get", null, async ({ ctx }) => toOrgDto(ctx.org));

export const updateOrg = defineMutation<TUpdateOrgInput, TOrg>(
  "org.update",
  "admin.manageSettings",
  async ({ ctx, input }) => {
    let row: OrgRow | undefined;
    try {
      row = await updateOrgRow(ctx.tx, { orgId: ctx.org.id, values: input });
    } catch (error) {
      slugTaken(error);
    }
    if (!row) throw notFound("Organization");
    const org = toOrgDto(row);
    await mirrorLegacyPublicSettings({ ...ctx, org: row }, input);
    await recordEvent({ ...ctx, org: row }, { type: "UPDATE_ORG", payload: { org } });
    return org;
  },
);

/** Hard delete: the org and everything in it cascade away; open sockets are told (DELETE_ORG). */
export const deleteOrg = defineMutation<void, { id: string }>("org.delete", "admin.administrator", async ({ ctx }) => {
  await deleteOrgRow(ctx.tx, { orgId: ctx.org.id });
  ctx.afterCommit(() => ctx.notify(ctx.org.id, "deleted"));
  return { id: ctx.org.id };
});
