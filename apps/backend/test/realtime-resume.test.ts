import { afterAll, beforeAll, expect, test } from "bun:test";
import { schema } from "@tandem/database";
import { and, eq, lte } from "drizzle-orm";
import { ok, startTestBackend, type TestBackend, type TestUser } from "./harness.ts";
import { TestSocket } from "./ws-client.ts";

let backend: TestBackend;
let owner: TestUser;
const sockets: TestSocket[] = [];
function socket(on: TestBackend = backend): TestSocket {
  const s = new TestSocket(on.url, { cookie: owner.cookie });
  sockets.push(s);
  return s;
}

beforeAll(async () => {
  backend = await startTestBackend();
  owner = await backend.signUp("Owner");
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await backend.stop();
});

function newOrg() {
  const slug = `rs-${crypto.randomUUID().slice(0, 8)}`;
  return ok(owner.api.api.orgs.$post({ json: { name: "Resume", slug, prefix: "RS" } }));
}

function newTask(orgId: string, title: string) {
  return ok(owner.api.api.orgs[":orgId"].tasks.$post({ param: { orgId }, json: { title } }));
}

test("kill a client mid-stream, make 20 mutations, reconnect with afterSeq: exactly those 20, in order", async () => {
  const org = await newOrg();
  const first = socket();
  await first.opened();
  await first.subscribe(org.id, "tasks");
  for (let i = 0; i < 5; i++) await newTask(org.id, `before ${i}`);
  const seen = await first.waitForEvents(5);
  const lastSeen = seen.at(-1)?.meta.seq ?? 0;
  first.close();
  await first.closed;

  for (let i = 0; i < 20; i++) await newTask(org.id, `missed ${i}`);

  const again = socket();
  await again.opened();
  const subscribed = await again.subscribe(org.id, "tasks", lastSeen);
  expect(subscribed.type).toBe("SUBSCRIBED");
  await again.waitForEvents(20);

  // Then live, continuing the sequence; the live event is also the barrier: events arrive in
  // seq order, so nothing replayed can come after it.
  await newTask(org.id, "live");
  const live = await again.next((m) => m.type === "CREATE_TASK" && m.data.task.title === "live");
  expect(live.meta.seq).toBe(lastSeen + 21);
  const replayed = again.events().slice(0, -1);
  expect(again.events()).toHaveLength(21);
  expect(replayed.map((e) => e.data.task.title)).toEqual(Array.from({ length: 20 }, (_, i) => `missed ${i}`));
  expect(replayed.map((e) => e.meta.seq)).toEqual(Array.from({ length: 20 }, (_, i) => lastSeen + 1 + i));
});

test("resuming while mutations keep coming: no gap and no duplicate", async () => {
  const org = await newOrg();
  for (let i = 0; i < 30; i++) await newTask(org.id, `old ${i}`);
  // Writers keep going while the client replays.
  const writes = (async () => {
    for (let i = 0; i < 30; i++) await newTask(org.id, `new ${i}`);
  })();
  const client = socket();
  await client.opened();
  await client.subscribe(org.id, "tasks", 10);
  await writes;
  const last = (
    await ok(
      owner.api.api.orgs[":orgId"].events.$get({ param: { orgId: org.id }, query: { after: "0", limit: "1000" } }),
    )
  ).lastSeq;
  await client.waitForEvents(last - 10, 5000);
  // A last write is the barrier: once it has arrived, every earlier event (and any duplicate) has.
  await newTask(org.id, "barrier");
  await client.next((m) => m.type === "CREATE_TASK" && m.data.task.title === "barrier", 5000);
  const seqs = client.events().map((e) => e.meta.seq);
  expect(seqs).toEqual(Array.from({ length: last + 1 - 10 }, (_, i) => 11 + i));
});

test("RESYNC when afterSeq is older than the retained log", async () => {
  const org = await newOrg();
  for (let i = 0; i < 10; i++) await newTask(org.id, `t ${i}`);
  // Retention dropped the first events.
  await backend.db.delete(schema.event).where(and(eq(schema.event.orgId, org.id), lte(schema.event.seq, 5)));
  const client = socket();
  await client.opened();
  await client.subscribe(org.id, "tasks", 2);
  const resync = await client.nextOfType("RESYNC");
  expect(resync.data).toMatchObject({ orgId: org.id, channel: "tasks", lastSeq: 11 });
  // It is live afterwards, with nothing replayed.
  await newTask(org.id, "after resync");
  const next = await client.next((m) => m.type === "CREATE_TASK");
  expect(next.meta.seq).toBe(12);
  expect(client.events()).toHaveLength(1);

  // Resuming inside the retained range still replays.
  const inside = socket();
  await inside.opened();
  await inside.subscribe(org.id, "tasks", 8);
  expect((await inside.waitForEvents(4)).map((e) => e.meta.seq)).toEqual([9, 10, 11, 12]);
});

test("the heartbeat closes a silent client; one that answers PING stays", async () => {
  const fast = await startTestBackend({ hub: { pingIntervalMs: 50, pongTimeoutMs: 250 } });
  try {
    const silent = socket(fast);
    silent.autoPong = false;
    const polite = socket(fast);
    await silent.opened();
    await polite.opened();
    const closed = await silent.closed;
    expect(closed.code).toBe(4408);
    expect(silent.messages.filter((m) => m.type === "PING").length).toBeGreaterThan(0);
    // The polite one outlives several timeouts: it has answered more PINGs than fit in two of them.
    const pings = () => polite.messages.filter((m) => m.type === "PING").length;
    const enough = pings() + Math.ceil((2 * 250) / 50) + 1;
    await polite.next(() => pings() >= enough, 10_000);
    expect(polite.readyState).toBe(WebSocket.OPEN);
  } finally {
    await fast.stop();
  }
});
