import { afterAll, beforeAll, expect, test } from "bun:test";
import type { TCreateTaskInput } from "@tandem/contracts";
import { schema } from "@tandem/database";
import {
  createCategory,
  createComment,
  createLabel,
  createTeam,
  createWebhook,
  DEFAULT_WEBHOOK_NETWORK,
  pingWebhook,
} from "@tandem/domain";
import { createTestOrg, createTestTask, systemCtx } from "@tandem/domain/testing";
import { eq } from "drizzle-orm";
import { isErrorBody, refused, startTestBackend, TEST_ENCRYPTION_KEY, type TestBackend } from "./harness.ts";

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(() => backend.stop());

/** Every row org A owns, to prove nothing changed. */
async function snapshot(orgId: string) {
  const { db } = backend;
  const tables = [
    schema.task,
    schema.label,
    schema.category,
    schema.team,
    schema.taskComment,
    schema.member,
    schema.event,
    schema.taskWatch,
  ];
  const rows = await Promise.all(tables.map((table) => db.select().from(table).where(eq(table.orgId, orgId))));
  const [org] = await db.select().from(schema.organization).where(eq(schema.organization.id, orgId));
  return JSON.stringify({ org, rows });
}

test("a member of org B gets 404 on every org-A resource, and org A is unchanged", async () => {
  const ownerA = await backend.signUp("Owner A");
  const adminB = await backend.signUp("Admin B");
  const orgA = await createTestOrg(backend.db, { ownerId: ownerA.id, prefix: "AAA" });
  const orgB = await createTestOrg(backend.db, { ownerId: adminB.id, prefix: "BBB" });
  const ctxA = await systemCtx(backend.db, orgA.id);
  const task = await createTestTask(backend.db, orgA.id, { title: "A's secret" });
  const label = await createLabel({ ctx: ctxA, input: { name: "a-label", color: "#000000" } });
  const category = await createCategory({ ctx: ctxA, input: { name: "a-cat", color: "#000000" } });
  const team = await createTeam({ ctx: ctxA, input: { name: "A team", permissions: [] } });
  const comment = await createComment({
    ctx: { ...ctxA, actor: { type: "user", userId: ownerA.id, permissions: new Set(["admin.administrator"]) } },
    input: { taskId: task.id, body: "A's comment" },
  });
  const before = await snapshot(orgA.id);

  const a = `/api/orgs/${orgA.id}`;
  const b = `/api/orgs/${orgB.id}`;
  const requests: [string, string, unknown?][] = [
    ["GET", a],
    ["PATCH", a, { name: "pwned" }],
    ["DELETE", a],
    ["GET", `${a}/members`],
    ["DELETE", `${a}/members/${ownerA.id}`],
    ["POST", `${a}/invites`, {}],
    ["GET", `${a}/tasks`],
    ["POST", `${a}/tasks`, { title: "intruder" }],
    ["GET", `${a}/tasks/${task.id}`],
    ["GET", `${a}/tasks/${task.key}`],
    ["PATCH", `${a}/tasks/${task.id}`, { title: "pwned", version: 1 }],
    ["POST", `${a}/tasks/${task.id}/move`, { status: "done" }],
    ["PUT", `${a}/tasks/${task.id}/assignees`, { userIds: [] }],
    ["DELETE", `${a}/tasks/${task.id}`],
    ["GET", `${a}/tasks/${task.id}/activity`],
    ["GET", `${a}/tasks/${task.id}/comments`],
    ["PATCH", `${a}/tasks/${task.id}/comments/${comment.id}`, { body: "pwned" }],
    ["DELETE", `${a}/tasks/${task.id}/comments/${comment.id}`],
    ["PATCH", `${a}/labels/${label.id}`, { name: "pwned" }],
    ["DELETE", `${a}/labels/${label.id}`],
    ["PATCH", `${a}/categories/${category.id}`, { name: "pwned" }],
    ["DELETE", `${a}/categories/${category.id}`],
    ["PATCH", `${a}/teams/${team.id}`, { name: "pwned" }],
    ["DELETE", `${a}/teams/${team.id}`],
    ["PUT", `${a}/teams/${team.id}/members/${adminB.id}`],
    ["GET", `${a}/events?after=0`],
    ["GET", `${a}/tasks/${task.id}/subscription`],
    ["PUT", `${a}/tasks/${task.id}/subscription`],
    ["DELETE", `${a}/tasks/${task.id}/subscription`],
    // Org A's ids through org B's URLs: the org comes from the URL, so these are missing too.
    ["GET", `${b}/tasks/${task.id}`],
    ["PATCH", `${b}/tasks/${task.id}`, { title: "pwned", version: 1 }],
    ["DELETE", `${b}/tasks/${task.id}`],
    ["GET", `${b}/tasks/${task.id}/activity`],
    ["PATCH", `${b}/tasks/${task.id}/comments/${comment.id}`, { body: "pwned" }],
    ["PATCH", `${b}/labels/${label.id}`, { name: "pwned" }],
    ["DELETE", `${b}/labels/${label.id}`],
    ["PATCH", `${b}/categories/${category.id}`, { name: "pwned" }],
    ["DELETE", `${b}/categories/${category.id}`],
    ["PATCH", `${b}/teams/${team.id}`, { name: "pwned" }],
    ["DELETE", `${b}/teams/${team.id}`],
    ["PUT", `${b}/tasks/${task.id}/assignees`, { userIds: [] }],
    ["GET", `${b}/tasks/${task.id}/subscription`],
    ["PUT", `${b}/tasks/${task.id}/subscription`],
    ["DELETE", `${b}/tasks/${task.id}/subscription`],
  ];
  const unexpected: string[] = [];
  for (const [method, path, body] of requests) {
    const result = await adminB.raw(method, path, body);
    if (result.status !== 404 || !isErrorBody(result.body) || result.body.error.code !== "NOT_FOUND") {
      unexpected.push(`${method} ${path} → ${result.status}`);
    }
  }
  expect(unexpected).toEqual([]);

  // Foreign references inside org B's own writes are rejected too.
  const createInB = (json: TCreateTaskInput) =>
    refused(adminB.api.api.orgs[":orgId"].tasks.$post({ param: { orgId: orgB.id }, json }), 400);
  expect((await createInB({ title: "x", labelIds: [label.id] })).error.field).toBe("labelIds");
  await createInB({ title: "x", parentId: task.id });
  await createInB({ title: "x", assigneeIds: [ownerA.id] });

  expect(await snapshot(orgA.id)).toBe(before);
});

test("org B's admin finds none of org A's webhooks or deliveries, through either org's URLs", async () => {
  const ownerA = await backend.signUp("Hook owner A");
  const adminB = await backend.signUp("Hook admin B");
  const orgA = await createTestOrg(backend.db, { ownerId: ownerA.id, prefix: "HKA" });
  const orgB = await createTestOrg(backend.db, { ownerId: adminB.id, prefix: "HKB" });
  const ctxA = await systemCtx(backend.db, orgA.id, {
    services: {
      encryptionKey: TEST_ENCRYPTION_KEY,
      webhooks: { ...DEFAULT_WEBHOOK_NETWORK, allowPrivateNetworks: true, timeoutMs: 5000 },
    },
  });
  const { webhook } = await createWebhook({
    ctx: ctxA,
    input: { url: `${backend.url}/health`, events: ["*"], projectId: null, enabled: true },
  });
  const delivery = await pingWebhook({ ctx: ctxA, input: { webhookId: webhook.id } });
  const rows = async () =>
    JSON.stringify(
      await Promise.all([
        backend.db.select().from(schema.outboundWebhook).where(eq(schema.outboundWebhook.orgId, orgA.id)),
        backend.db.select().from(schema.outboundDelivery).where(eq(schema.outboundDelivery.orgId, orgA.id)),
      ]),
    );
  const before = await rows();
  const unexpected: string[] = [];
  for (const base of [`/api/orgs/${orgA.id}`, `/api/orgs/${orgB.id}`]) {
    const hook = `${base}/webhooks/${webhook.id}`;
    const requests: [string, string, unknown?][] = [
      ["PATCH", hook, { enabled: false }],
      ["POST", `${hook}/rotate-secret`, {}],
      ["POST", `${hook}/ping`],
      ["GET", `${hook}/deliveries`],
      ["POST", `${hook}/deliveries/${delivery.id}/redeliver`],
      ["DELETE", hook],
    ];
    for (const [method, path, body] of requests) {
      const result = await adminB.raw(method, path, body);
      if (result.status !== 404 || !isErrorBody(result.body) || result.body.error.code !== "NOT_FOUND") {
        unexpected.push(`${method} ${path} → ${result.status}`);
      }
    }
  }
  for (const path of [`/api/orgs/${orgA.id}/webhooks`]) {
    const result = await adminB.raw("GET", path);
    if (result.status !== 404) unexpected.push(`GET ${path} → ${result.status}`);
  }
  const listB = await adminB.raw("GET", `/api/orgs/${orgB.id}/webhooks`);
  expect(listB.body).toEqual([]);
  expect(unexpected).toEqual([]);
  expect(await rows()).toBe(before);
});
