import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ok, startTestBackend, type TestBackend, type TestUser } from "./harness.ts";
import { TestSocket } from "./ws-client.ts";

// The database reads of the hub (16.12): counted from the statements the backend's pool sends.
let backend: TestBackend;
let owner: TestUser;
let orgId: string;
const statements: string[] = [];
const sockets: TestSocket[] = [];
beforeAll(async () => {
  backend = await startTestBackend({ onQuery: (query) => statements.push(query) });
  owner = await backend.signUp("Owner");
  const slug = `rr-${crypto.randomUUID().slice(0, 8)}`;
  orgId = (await ok(owner.api.api.orgs.$post({ json: { name: "Reads", slug, prefix: "RR" } }))).id;
  followNotifications();
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await backend.stop();
});

const readsSession = (query: string) => /from "session"/i.test(query);
const readsLog = (query: string) => /from "event"/i.test(query) && /"seq" >/i.test(query);
/** postgres.js reads the array types once per new connection. */
const readsCatalog = (query: string) => /pg_catalog/.test(query);

/** The highest seq NOTIFY has told the hub of (after it acted on it), and who waits for more. */
let notifiedSeq = 0;
const waiting: { seq: number; resolve: () => void }[] = [];
function followNotifications(): void {
  const hub = backend.hub;
  const original = hub.notified.bind(hub);
  hub.notified = (org, seq) => {
    original(org, seq);
    if (org !== orgId) return;
    notifiedSeq = Math.max(notifiedSeq, seq);
    for (const waiter of waiting.filter((w) => w.seq <= notifiedSeq)) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
}
function notifiedOf(seq: number): Promise<void> {
  if (notifiedSeq >= seq) return Promise.resolve();
  return new Promise((resolve) => waiting.push({ seq, resolve }));
}

async function createTask(title: string): Promise<number> {
  const created = await owner.raw("POST", `/api/orgs/${orgId}/tasks`, { title });
  expect(created.status).toBe(201);
  return Number(created.headers.get("x-event-seq"));
}

describe("hub reads (16.12)", () => {
  test("one session query per connect + subscribe, and no other read of it", async () => {
    statements.length = 0;
    const socket = new TestSocket(backend.url, { cookie: owner.cookie });
    sockets.push(socket);
    expect((await socket.opened()).data.authenticated).toBe(true);
    expect((await socket.subscribe(orgId, "tasks")).type).toBe("SUBSCRIBED");
    expect((await socket.subscribe(orgId, "admin")).type).toBe("SUBSCRIBED");
    expect(statements.filter(readsSession)).toHaveLength(1);
    // The session, then one membership read per member channel; no other statements.
    const others = statements.filter((query) => !readsSession(query) && !readsLog(query) && !readsCatalog(query));
    expect(others).toHaveLength(2);
  });

  test("no duplicate hub read per event: the commit hook and NOTIFY read the log once", async () => {
    const socket = new TestSocket(backend.url, { cookie: owner.cookie });
    sockets.push(socket);
    await socket.opened();
    await socket.subscribe(orgId, "tasks");
    // Settle: the first event (and the read that starts following the org) before counting.
    const first = await createTask("warm-up");
    await socket.next((m) => m.type === "CREATE_TASK");
    await notifiedOf(first);

    statements.length = 0;
    const count = 5;
    for (let i = 0; i < count; i++) {
      const from = socket.events().length;
      const seq = await createTask(`task ${i}`);
      await socket.next((m) => m.type === "CREATE_TASK" && m.meta.seq === seq, 3000, from);
      await notifiedOf(seq);
    }
    expect(statements.filter(readsLog)).toHaveLength(count);
  });
});
