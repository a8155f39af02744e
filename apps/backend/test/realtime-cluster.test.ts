import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { connect } from "@tandem/database";
import type { Subprocess } from "bun";
import { startTestBackend, TEST_SECRET, type TestBackend, type TestUser, WEB_ORIGIN } from "./harness.ts";
import { type Bouncer, startPgBouncer } from "./pgbouncer.ts";
import { spawnBackend } from "./spawn.ts";
import { TestSocket } from "./ws-client.ts";

let backend: TestBackend;
let owner: TestUser;
const procs: Subprocess[] = [];
const sockets: TestSocket[] = [];
let bouncer: Bouncer | undefined;

beforeAll(async () => {
  backend = await startTestBackend();
  owner = await backend.signUp("Owner");
});
afterAll(async () => {
  for (const s of sockets) s.close();
  for (const p of procs) p.kill();
  await Promise.all(procs.map((p) => p.exited));
  await bouncer?.stop();
  await backend.stop();
});

async function newOrg() {
  return (
    await owner.call("POST", "/api/orgs", {
      name: "Cluster",
      slug: `cl-${crypto.randomUUID().slice(0, 8)}`,
      prefix: "CL",
    })
  ).body;
}

/** Two spawned backends on `databaseUrl`: a mutation through A reaches a client subscribed on B. */
async function acrossInstances(databaseUrl: string | undefined) {
  // The same secret as the test harness, so the cookie it issued is valid on both instances.
  const env = {
    DATABASE_URL: databaseUrl,
    PORT: "0",
    BETTER_AUTH_SECRET: TEST_SECRET,
    WEB_ORIGINS: WEB_ORIGIN,
    SEED_DEMO: "false",
    LOG_LEVEL: "info",
    NODE_ENV: "development",
  };
  const [a, b] = await Promise.all([spawnBackend(env), spawnBackend(env)]);
  for (const instance of [a, b]) {
    procs.push(instance.proc);
    expect(instance.url, instance.output).not.toBeNull();
  }
  const org = await newOrg();
  const onB = new TestSocket(b.url as string, { cookie: owner.cookie });
  sockets.push(onB);
  await onB.opened();
  expect((await onB.subscribe(org.id, "tasks")).type).toBe("SUBSCRIBED");

  const created = await fetch(`${a.url}/api/orgs/${org.id}/tasks`, {
    method: "POST",
    headers: { cookie: owner.cookie, "content-type": "application/json" },
    body: JSON.stringify({ title: "Made on A" }),
  });
  expect(created.status).toBe(201);
  const event = await onB.next((m) => m.type === "CREATE_TASK", 5000);
  expect(event.data.task.title).toBe("Made on A");
  expect(event.meta.seq).toBeGreaterThan(0);
}

test("two backend processes on one database: a mutation through A reaches a client on B", async () => {
  await acrossInstances(process.env.DATABASE_URL);
}, 120_000);

test("the same through PgBouncer in session pooling mode (the pooling mode Tandem supports)", async () => {
  bouncer = await startPgBouncer(process.env.DATABASE_URL ?? "", "session");
  // The pooler's connections carry the timeouts the backend would have set itself.
  const probe = connect(bouncer.url, { applicationName: "tandem-test-probe" });
  try {
    const [row] = await probe.sql<{ statement_timeout: string }[]>`show statement_timeout`;
    expect(row?.statement_timeout).toBe("15s");
  } finally {
    await probe.close();
  }
  await acrossInstances(bouncer.url);
}, 120_000);

test("a worker-style write from another process reaches subscribed clients", async () => {
  const org = await newOrg();
  const client = new TestSocket(backend.url, { cookie: owner.cookie });
  sockets.push(client);
  await client.opened();
  await client.subscribe(org.id, "tasks");
  const writer = Bun.spawn(["bun", join(import.meta.dir, "fixtures/worker-write.ts"), org.id, "From the worker"], {
    env: process.env,
    stdout: "pipe",
    stderr: "pipe",
  });
  expect(await writer.exited).toBe(0);
  const event = await client.next((m) => m.type === "CREATE_TASK", 5000);
  expect(event.data.task).toMatchObject({ title: "From the worker", createdBy: null });
}, 60_000);
