import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ALL_PERMISSIONS, grants, type TPermission } from "@tandem/contracts";
import { categories, createComment, createInvite, createTeam, labels, linkRepo, updateOrg } from "@tandem/domain";
import { addTestMember, createTestOrg, createTestTask, systemCtx } from "@tandem/domain/testing";
import { createApp } from "../src/app.ts";
import { startTestBackend, TEST_ENCRYPTION_KEY, type TestBackend, type TestUser, WEB_ORIGIN } from "./harness.ts";
import { type Access, MATRIX, type World } from "./permission-matrix.ts";

type Role = { name: string; kind: "anonymous" | "outsider" | "member"; permissions: TPermission[] };

const ROLES: Role[] = [
  { name: "anonymous", kind: "anonymous", permissions: [] },
  { name: "outsider", kind: "outsider", permissions: [] },
  { name: "member", kind: "member", permissions: [] },
  ...ALL_PERMISSIONS.filter((p) => p !== "admin.administrator").map((p) => ({
    name: p,
    kind: "member" as const,
    permissions: [p],
  })),
  { name: "administrator", kind: "member", permissions: ["admin.administrator"] },
];

function isAllowed(role: Role, access: Access): boolean {
  if (access === "anyone") return true;
  if (role.kind === "anonymous") return false;
  if (access === "signedIn") return true;
  if (role.kind === "outsider") return false;
  if (access === "member") return true;
  if (access === "author") return role.permissions.includes("admin.administrator");
  return grants(new Set(role.permissions), access);
}

/** The status a denied role must get: 401 without a session, 404 outside the org, else 403. */
function deniedStatus(role: Role): number {
  if (role.kind === "anonymous") return 401;
  if (role.kind === "outsider") return 404;
  return 403;
}

const normalise = (route: string) => route.replace(/:\w+/g, ":param");

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(() => backend.stop());

/** A fresh org for one role: owner, victim member, task, comment, label, category, team, invite. */
async function buildWorld(owner: TestUser, victim: TestUser): Promise<World> {
  const { db } = backend;
  const org = await createTestOrg(db, { ownerId: owner.id, prefix: "MAT" });
  const other = await createTestOrg(db, { ownerId: owner.id, prefix: "OTH" });
  await addTestMember(db, { orgId: org.id, userId: victim.id, permissions: [] });
  const ctx = await systemCtx(db, org.id);
  await updateOrg({ ctx, input: { publicBoard: true } });
  const task = await createTestTask(db, org.id, { visibility: "public", status: "todo" });
  const ownerCtx = {
    ...ctx,
    actor: { type: "user" as const, userId: owner.id, permissions: new Set(["admin.administrator"]) },
  };
  const comment = await createComment({ ctx: ownerCtx, input: { taskId: task.id, body: "Owner's comment" } });
  const label = await labels.create({ ctx, input: { name: "bug", color: "#ff0000" } });
  const category = await categories.create({ ctx, input: { name: "Backend", color: "#00ff00" } });
  const team = await createTeam({ ctx, input: { name: "Target team", permissions: [] } });
  const invite = await createInvite({ ctx: ownerCtx, input: { expiresInDays: 7 } });
  const repo = await linkRepo({
    ctx,
    input: {
      fullName: `octo/${crypto.randomUUID().slice(0, 8)}`,
      config: {
        encryptionKey: TEST_ENCRYPTION_KEY,
        webhookBaseUrl: "http://worker.test",
        api: { repoAccess: async () => ({ ok: false, reason: "denied" }), installation: null },
      },
    },
  });
  const otherInvite = await createInvite({
    ctx: { ...ownerCtx, org: (await systemCtx(db, other.id)).org },
    input: { expiresInDays: 7 },
  });
  const form = new FormData();
  form.set("file", new File(["matrix"], "matrix.txt", { type: "text/plain" }));
  const uploaded = await fetch(`${backend.url}/api/orgs/${org.id}/tasks/${task.id}/attachments`, {
    method: "POST",
    headers: { cookie: owner.cookie },
    body: form,
  });
  const attachment = (await uploaded.json()) as { id: string };
  if (!uploaded.ok) throw new Error(`world upload failed: ${JSON.stringify(attachment)}`);
  return {
    orgId: org.id,
    slug: org.slug,
    taskId: task.id,
    taskNumber: task.number,
    taskKey: task.key,
    commentId: comment.id,
    labelId: label.id,
    categoryId: category.id,
    teamId: team.id,
    inviteId: invite.id,
    otherOrgInviteCode: otherInvite.code,
    victimUserId: victim.id,
    ownerId: owner.id,
    repoId: repo.id,
    attachmentId: attachment.id,
  };
}

describe("permission matrix", () => {
  test("every registered route is in the matrix, and every matrix route is registered", () => {
    const app = createApp({} as never);
    const registered = new Set(
      app.routes.filter((r) => r.method !== "ALL").map((r) => normalise(`${r.method} ${r.path}`)),
    );
    const inMatrix = new Set(MATRIX.map((entry) => normalise(entry.route)));
    expect([...registered].filter((route) => !inMatrix.has(route))).toEqual([]);
    expect([...inMatrix].filter((route) => !registered.has(route))).toEqual([]);
    expect(MATRIX.length).toBe(inMatrix.size);
  });

  for (const role of ROLES) {
    test(`role ${role.name}`, async () => {
      const owner = await backend.signUp("Owner");
      const victim = await backend.signUp("Victim");
      const world = await buildWorld(owner, victim);
      let caller = backend.call;
      if (role.kind !== "anonymous") {
        const user = await backend.signUp(role.name);
        if (role.kind === "outsider") await createTestOrg(backend.db, { ownerId: user.id });
        else await addTestMember(backend.db, { orgId: world.orgId, userId: user.id, permissions: role.permissions });
        caller = user.call;
      }

      const failures: string[] = [];
      for (const entry of MATRIX) {
        const [method = "GET"] = entry.route.split(" ");
        const { path, body } = entry.request(world);
        const result = await caller(method, path, body, { headers: { origin: WEB_ORIGIN } });
        const allowed = isAllowed(role, entry.access);
        const ok = entry.okStatus ? result.status === entry.okStatus : result.status >= 200 && result.status < 300;
        if (allowed && !ok) {
          failures.push(`${entry.route}: expected 2xx, got ${result.status} ${JSON.stringify(result.body)}`);
        }
        if (!allowed) {
          const expected = deniedStatus(role);
          const shaped =
            typeof result.body?.error?.code === "string" && typeof result.body?.error?.requestId === "string";
          if (result.status !== expected || !shaped) {
            failures.push(
              `${entry.route}: expected ${expected} with the error shape, got ${result.status} ${JSON.stringify(result.body)}`,
            );
          }
        }
      }
      expect(failures).toEqual([]);
    });
  }
});
