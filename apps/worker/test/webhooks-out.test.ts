import { afterAll, beforeAll, expect, test } from "bun:test";
import { schema } from "@tandem/database";
import { createComment, createProject, createRelation, createTask, createTeam, createWebhook } from "@tandem/domain";
import { and, eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { startTestWorker, until, type WorkerHarness } from "./harness.ts";
import { deliveriesOf, startReceiver, webhookOrg } from "./webhook-kit.ts";

const BASE_MS = 100;
let harness: WorkerHarness;
const stops: (() => void)[] = [];

beforeAll(async () => {
  harness = await startTestWorker({
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
    WEBHOOK_RETRY_BASE_MS: String(BASE_MS),
    // 4 attempts fit (100 + 400 + 1600 ms of waits); after the 4th failure the next wait does not.
    WEBHOOK_RETRY_WINDOW_MS: "5000",
    WEBHOOK_POLL_MS: "50",
    WEBHOOK_TIMEOUT_MS: "2000",
  });
});
afterAll(async () => {
  for (const stop of stops) stop();
  await harness.stop();
});

function receiver(answer?: Parameters<typeof startReceiver>[0]) {
  const started = startReceiver(answer);
  stops.push(started.stop);
  return started;
}

test("a delivery verifies with standardwebhooks and carries the member's envelope; admin events stay home", async () => {
  const { handle } = harness;
  const inbox = receiver();
  const org = await webhookOrg(handle);
  const { webhook, secret } = await org.hook(inbox.url);
  expect(secret).toStartWith("whsec_");
  await createTeam({ ctx: org.ctx, input: { name: "Admins only", permissions: [] } });
  await org.label("bug");
  const [got] = await until(async () => inbox.received.length >= 1 && inbox.received);
  if (!got) throw new Error("nothing received");
  const payload = new Webhook(secret).verify(got.body, got.headers) as {
    type: string;
    data: { label: { name: string } };
    scope: string;
    meta: { seq: number; orgId: string; channel: string };
  };
  expect(payload.type).toBe("CREATE_LABEL");
  expect(payload.data.label.name).toBe("bug");
  expect(payload.meta).toMatchObject({ orgId: org.org.id, channel: "tasks" });
  expect(() =>
    new Webhook("whsec_c2VjcmV0LW5vdC10aGUtcmlnaHQtb25lLXJlYWxseQ==").verify(got.body, got.headers),
  ).toThrow();
  // The team event (admin channel) came before the label but is never sent.
  await until(async () => (await deliveriesOf(handle, webhook.id)).every((d) => d.status === "delivered"));
  expect(inbox.received.map((r) => JSON.parse(r.body).type)).toEqual(["CREATE_LABEL"]);
  expect(got.body).not.toContain(secret);
});

test("500 three times then 200: one delivery, four attempts with growing waits, one webhook-id", async () => {
  const { handle } = harness;
  const inbox = receiver((n) => (n < 3 ? 500 : 200));
  const org = await webhookOrg(handle);
  const { webhook } = await org.hook(inbox.url);
  await org.label();
  const [delivery] = await until(async () => {
    const rows = await deliveriesOf(handle, webhook.id);
    return rows[0]?.status === "delivered" && rows;
  });
  if (!delivery) throw new Error("no delivery");
  expect(delivery.attempts.map((a) => a.statusCode)).toEqual([500, 500, 500, 200]);
  expect(delivery.attempts[0]?.response).toBe("answer 0");
  expect(new Set(inbox.received.map((r) => r.headers["webhook-id"]))).toEqual(new Set([delivery.id]));
  const gaps = inbox.received.slice(1).map((r, i) => r.at - (inbox.received[i]?.at ?? 0));
  // Waits of base·4^(n−1): 100, 400, 1600 ms (polling adds a little, never subtracts).
  expect(gaps[0]).toBeGreaterThanOrEqual(BASE_MS * 0.9);
  expect(gaps[1]).toBeGreaterThanOrEqual(BASE_MS * 4 * 0.9);
  expect(gaps[2]).toBeGreaterThanOrEqual(BASE_MS * 16 * 0.9);
});

test("events reach each endpoint in seq order, a failing one holding back those after it", async () => {
  const { handle } = harness;
  // One endpoint fails its third request once; the other answers slowly at random.
  const flaky = receiver((n) => (n === 2 ? 503 : 200));
  const slow = receiver(async () => {
    await Bun.sleep(Math.random() * 15);
    return 200;
  });
  const org = await webhookOrg(handle);
  await org.hook(flaky.url);
  await org.hook(slow.url);
  const count = 25;
  await Promise.all(Array.from({ length: count }, (_, i) => org.label(`order-${i}`)));
  const seqsOf = (inbox: typeof flaky) => {
    const seqs = inbox.received.map((r) => JSON.parse(r.body).meta.seq as number);
    return seqs.filter((seq, i) => seqs[i - 1] !== seq); // a retry repeats the same seq
  };
  await until(async () => seqsOf(flaky).length >= count && seqsOf(slow).length >= count);
  for (const seqs of [seqsOf(flaky), seqsOf(slow)]) {
    expect(seqs).toHaveLength(count);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  }
});

test("an endpoint failing for its whole retry window is disabled and the admins are told", async () => {
  const { handle } = harness;
  const inbox = receiver(() => 500);
  const org = await webhookOrg(handle);
  const { webhook } = await org.hook(inbox.url);
  await org.label();
  const row = await until(async () => {
    const [found] = await handle.db
      .select()
      .from(schema.outboundWebhook)
      .where(eq(schema.outboundWebhook.id, webhook.id));
    return found && !found.enabled && found;
  });
  expect(row.disabledReason).toContain("HTTP 500");
  const [delivery] = await deliveriesOf(handle, webhook.id);
  expect(delivery?.status).toBe("failed");
  expect(delivery?.attempts).toHaveLength(4);
  const notices = await handle.db
    .select()
    .from(schema.event)
    .where(and(eq(schema.event.orgId, org.org.id), eq(schema.event.type, "UPDATE_WEBHOOK")));
  expect(notices).toHaveLength(1);
  expect(notices[0]?.visibility).toBe("admin");
  expect(JSON.stringify(notices[0]?.payload)).not.toContain("whsec_");
});

test("an endpoint filtered to a project gets that project's task, comment and relation events only; another org's project is 404", async () => {
  const { handle } = harness;
  const inbox = receiver();
  const org = await webhookOrg(handle);
  const ops = await createProject({ ctx: org.ctx, input: { name: "Ops", key: "OPS" } });
  const { webhook } = await createWebhook({
    ctx: org.ctx,
    input: { url: inbox.url, events: ["*"], projectId: "ops", enabled: true },
  });
  expect(webhook.projectId).toBe(ops.id);
  const elsewhere = await createTask({ ctx: org.ctx, input: { title: "in the default project" } });
  const sibling = await createTask({ ctx: org.ctx, input: { title: "also in the default project" } });
  const wanted = await createTask({ ctx: org.ctx, input: { title: "in ops", projectId: "OPS" } });
  // Comments and relations name a task, not a project: the sender looks the project up.
  await createComment({ ctx: org.ctx, input: { taskId: elsewhere.id, body: "not for ops" } });
  await createRelation({
    ctx: org.ctx,
    input: { taskId: elsewhere.id, relation: { type: "relates", taskId: sibling.id } },
  });
  await createRelation({
    ctx: org.ctx,
    input: { taskId: elsewhere.id, relation: { type: "blocks", taskId: wanted.id } },
  });
  await createComment({ ctx: org.ctx, input: { taskId: wanted.id, body: "for ops" } });
  // Delivered in seq order: once the last wanted event is in, an unwanted earlier one would be too.
  await until(async () => inbox.received.length >= 3);
  await until(async () => (await deliveriesOf(handle, webhook.id)).every((d) => d.status === "delivered"));
  const bodies = inbox.received.map((r) => JSON.parse(r.body));
  expect(bodies.map((body) => body.type)).toEqual(["CREATE_TASK", "CREATE_RELATION", "CREATE_COMMENT"]);
  expect(bodies[0].data.task.key).toBe(wanted.key);
  expect(bodies[1].data.inverse.taskId).toBe(wanted.id);
  expect(bodies[2].data.comment.body).toBe("for ops");
  const other = await webhookOrg(handle);
  await expect(
    createWebhook({ ctx: other.ctx, input: { url: inbox.url, events: ["*"], projectId: ops.id, enabled: true } }),
  ).rejects.toMatchObject({ kind: "NOT_FOUND" });
});
