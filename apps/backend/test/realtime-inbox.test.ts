import { afterAll, beforeAll, expect, test } from "bun:test";
import { mentionOf } from "@tandem/contracts";
import { ok, startTestBackend, type TestBackend, type TestUser } from "./harness.ts";
import { orgOf } from "./notify-world.ts";
import { TestSocket } from "./ws-client.ts";

/**
 * SPEC §14: the inbox is live on a personal channel (`SUBSCRIBE {channel: "inbox"}`, no org),
 * with seq/resume. Two backends on one database: `writer` runs the notifier, `reader` does
 * not, so what `reader`'s sockets hear crossed instances (the notification trigger's NOTIFY).
 */
let writer: TestBackend;
let reader: TestBackend;
beforeAll(async () => {
  writer = await startTestBackend({
    notifier: { enabled: true, pollMs: 50, collapseMs: 0, emailBatchWindowMs: 60_000 },
  });
  reader = await startTestBackend();
});
afterAll(async () => {
  await reader.stop();
  await writer.stop();
});

async function inboxSocket(backend: TestBackend, user: TestUser | null, afterSeq?: number) {
  const socket = new TestSocket(backend.url, user ? { cookie: user.cookie } : {});
  await socket.opened();
  socket.send({ type: "SUBSCRIBE", channel: "inbox", ...(afterSeq === undefined ? {} : { afterSeq }) });
  const answer = await socket.next((m) => m.type === "INBOX_SUBSCRIBED" || m.type === "ERROR");
  return { socket, answer };
}

const comment = (user: TestUser, orgId: string, taskId: string, body: string) =>
  ok(user.api.api.orgs[":orgId"].tasks[":taskId"].comments.$post({ param: { orgId, taskId }, json: { body } }), 201);

test("a mention reaches the inbox channel live on every tab, across instances; read syncs; resume replays", async () => {
  const { org, people } = await orgOf(writer, ["Amy", "Bob", "Cy"]);
  const [amy, bob, cy] = people as [TestUser, TestUser, TestUser];
  const task = await ok(
    amy.api.api.orgs[":orgId"].tasks.$post({ param: { orgId: org.id }, json: { title: "Live" } }),
    201,
  );
  const tab1 = await inboxSocket(reader, bob);
  const tab2 = await inboxSocket(writer, bob);
  const other = await inboxSocket(reader, cy);
  expect(tab1.answer.data).toEqual({ channel: "inbox", lastSeq: 0, unreadCount: 0 });

  const started = performance.now();
  await comment(amy, org.id, task.id, `Look, ${mentionOf(bob)}`);
  const live = await tab1.socket.nextOfType("NOTIFICATION", 5000);
  const latencyMs = performance.now() - started;
  expect(latencyMs).toBeLessThan(1000);
  expect(live.data.notification).toMatchObject({ kind: "mentioned", taskKey: task.key, readAt: null });
  expect(live.data.unreadCount).toBe(1);
  expect(live.meta).toMatchObject({ channel: "inbox", seq: live.data.notification.seq });
  await tab2.socket.nextOfType("NOTIFICATION");

  // Marked read in one tab (a request to `writer`): the tab on `reader` hears it.
  const from = tab1.socket.messages.length;
  await ok(bob.api.api.me.notifications.read.$post({ json: { ids: [live.data.notification.id] } }));
  const read = await tab1.socket.next((m) => m.type === "NOTIFICATION", 3000, from);
  expect(read.data.notification.id).toBe(live.data.notification.id);
  expect(read.data.notification.readAt).not.toBeNull();
  expect(read.data.unreadCount).toBe(0);
  expect(read.meta.seq).toBeGreaterThan(live.meta.seq ?? 0);

  // Tab 1 goes away; a comment arrives; it comes back with the seq it last saw.
  tab1.socket.close();
  await tab1.socket.closed;
  await comment(amy, org.id, task.id, "Another");
  await tab2.socket.next((m) => m.type === "NOTIFICATION" && m.data.notification.kind === "commented");
  const resumed = await inboxSocket(reader, bob, read.meta.seq);
  const missed = await resumed.socket.nextOfType("NOTIFICATION");
  expect(missed.data.notification.kind).toBe("commented");

  // Cy (not mentioned, not watching) heard nothing of Bob's inbox.
  await other.socket.settled();
  expect(other.socket.messages.filter((m) => m.type === "NOTIFICATION")).toEqual([]);
  for (const socket of [tab2.socket, other.socket, resumed.socket]) socket.close();
});

test("the inbox channel needs a session: anonymous sockets are refused", async () => {
  const { socket, answer } = await inboxSocket(reader, null);
  expect(answer.type).toBe("ERROR");
  expect(answer.data.code).toBe("UNAUTHORIZED");
  socket.close();
});
