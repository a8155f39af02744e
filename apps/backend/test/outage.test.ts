import { afterAll, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { join } from "node:path";
import { connect } from "@tandem/database";
import { type PrivateCluster, startPrivateCluster } from "@tandem/database/testing";
import { spawnService } from "@tandem/util/spawn";
import type { Subprocess } from "bun";
import { WEB_ORIGIN } from "./harness.ts";
import { signUpWithOrg, spawnBackend } from "./spawn.ts";
import { TestSocket } from "./ws-client.ts";

// A Postgres of the test's own (ports 5670-5679), stopped and started under load; the
// machine's server on 5432 is never touched.
const PORTS = Array.from({ length: 10 }, (_, i) => 5670 + i);
const WRITERS = 20;

const procs: Subprocess[] = [];
let cluster: PrivateCluster | null = null;
afterAll(async () => {
  for (const proc of procs) proc.kill("SIGKILL");
  await cluster?.destroy();
});

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined | false>) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}

async function deliverPing(url: string, link: { id: string; webhookSecret: string }) {
  const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
  const signature = `sha256=${createHmac("sha256", link.webhookSecret).update(body).digest("hex")}`;
  const deliveryId = crypto.randomUUID();
  const response = await fetch(`${url}/webhooks/github/${link.id}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "ping",
      "x-github-delivery": deliveryId,
      "x-hub-signature-256": signature,
    },
    body,
  });
  return { response, deliveryId };
}

/** A 503 in the API's error shape, with a Retry-After. */
async function expectUnavailable(response: Response) {
  expect(response.status).toBe(503);
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  const body = (await response.json()) as { error: { code: string; message: string; requestId: string } };
  expect(body.error).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(body.error.requestId.length).toBeGreaterThan(0);
}

test("Postgres stops under 20 writers: backend and worker stay up, answer 503, recover within 5 s, lose no acknowledged write", async () => {
  cluster = await startPrivateCluster({ ports: PORTS });
  const backend = await spawnBackend({
    PORT: "0",
    DATABASE_URL: cluster.url,
    WEB_ORIGINS: WEB_ORIGIN,
    SEED_DEMO: "false",
    AUTH_CREDENTIAL_LIMIT: "10:1000",
    LOG_LEVEL: "info",
    NODE_ENV: "development",
  });
  if (backend.proc) procs.push(backend.proc);
  expect(backend.url, backend.output).not.toBeNull();
  const api = backend.url as string;
  const worker = await spawnService({
    command: ["bun", "src/index.ts"],
    cwd: join(import.meta.dir, "../../worker"),
    env: { PORT: "0", DATABASE_URL: cluster.url, LOG_LEVEL: "info" },
    ready: /"url":"(http:\/\/[^"]+)".*?"msg":"worker listening"/,
  });
  procs.push(worker.proc);
  expect(worker.url, worker.output).not.toBeNull();
  const hooks = worker.url as string;
  const { org, headers, cookie } = await signUpWithOrg(api, WEB_ORIGIN, "OUT");
  // A repository link: its own delivery URL and secret on the worker.
  const linked = await fetch(`${api}/api/orgs/${org.id}/github/repos`, {
    method: "POST",
    headers,
    body: JSON.stringify({ fullName: "octo/outage" }),
  });
  expect(linked.status).toBe(201);
  const link = (await linked.json()) as { id: string; webhookSecret: string };
  // One socket follows the board through the outage; another subscribes during it.
  const live = new TestSocket(api, { cookie });
  await live.opened();
  expect((await live.subscribe(org.id, "tasks")).type).toBe("SUBSCRIBED");
  const late = new TestSocket(api, { cookie });
  await late.opened();

  // 20 writers, each creating tasks back to back; every answer is recorded by phase.
  const acknowledged: string[] = [];
  const failures: { phase: string; status: number; code?: string }[] = [];
  let phase: "before" | "outage" | "after" = "before";
  let running = true;
  let networkErrors = 0;
  const writers = Array.from({ length: WRITERS }, async (_, writer) => {
    for (let n = 0; running; n++) {
      const seen = phase;
      try {
        const response = await fetch(`${api}/api/orgs/${org.id}/tasks`, {
          method: "POST",
          headers,
          body: JSON.stringify({ title: `writer ${writer} #${n}` }),
        });
        const body = (await response.json()) as { id?: string; error?: { code: string } };
        if (response.status === 201 && body.id) acknowledged.push(body.id);
        else failures.push({ phase: seen, status: response.status, code: body.error?.code });
      } catch {
        networkErrors += 1; // the backend did not answer at all
        await Bun.sleep(20);
      }
    }
  });
  await until("writes before the outage", 30_000, async () => acknowledged.length >= 60);

  await cluster.stop();
  phase = "outage";
  const acknowledgedBeforeOutage = acknowledged.length;

  // Both processes stay up and answer fast, in the error shape.
  await until("writers refused during the outage", 10_000, async () => failures.some((f) => f.phase === "outage"));
  let started = performance.now();
  const ready = await fetch(`${api}/health/ready`);
  expect(performance.now() - started).toBeLessThan(2500);
  expect(ready.status).toBe(503);
  expect(((await ready.json()) as { checks: { database: string } }).checks.database).toBe("fail");
  started = performance.now();
  await expectUnavailable(await fetch(`${api}/api/orgs/${org.id}/tasks`, { headers }));
  await expectUnavailable(await fetch(`${api}/api/me`, { headers }));
  expect(performance.now() - started).toBeLessThan(500);
  await expectUnavailable((await deliverPing(hooks, link)).response);
  expect((await fetch(`${hooks}/health/ready`)).status).toBe(503);
  expect((await fetch(`${hooks}/health`)).status).toBe(200);
  // Subscribing needs the database: the socket is closed 1013 (try again later), the process lives on.
  late.send({ type: "SUBSCRIBE", orgId: org.id, channel: "tasks" });
  expect((await late.closed).code).toBe(1013);
  expect(backend.proc.exitCode).toBeNull();
  expect(worker.proc.exitCode).toBeNull();

  // Back up: both recover by themselves within 5 s, with the writers still going.
  await cluster.start();
  const restarted = performance.now();
  await until("backend ready", 5_000, async () => (await fetch(`${api}/health/ready`)).status === 200);
  await until("a write after the restart", 5_000, async () => {
    const response = await fetch(`${api}/api/orgs/${org.id}/tasks`, {
      method: "POST",
      headers,
      body: JSON.stringify({ title: "after the restart" }),
    });
    const body = (await response.json()) as { id?: string };
    if (response.status === 201 && body.id) acknowledged.push(body.id);
    return response.status === 201;
  });
  // The socket that stayed open sees the board change again.
  await live.next((m) => m.type === "CREATE_TASK" && m.data?.task?.title === "after the restart", 5_000);
  const hook = await until("a webhook accepted after the restart", 5_000, async () => {
    const sent = await deliverPing(hooks, link);
    return sent.response.status === 202 ? sent : null;
  });
  expect(performance.now() - restarted).toBeLessThan(5_000);
  phase = "after";
  const afterCount = acknowledged.length;
  await until("writers succeeding again", 10_000, async () => acknowledged.length >= afterCount + WRITERS);
  running = false;
  await Promise.all(writers);
  live.close();

  expect(networkErrors).toBe(0);
  expect(backend.proc.exitCode).toBeNull();
  expect(worker.proc.exitCode).toBeNull();
  expect(acknowledged.length).toBeGreaterThan(acknowledgedBeforeOutage);
  // Every refusal was a 503 SERVICE_UNAVAILABLE: never a 500.
  expect(failures.filter((f) => f.status !== 503 || f.code !== "SERVICE_UNAVAILABLE")).toEqual([]);
  expect(failures.filter((f) => f.phase === "outage").length).toBeGreaterThan(0);

  const handle = connect(cluster.url, { max: 1, applicationName: "outage-test" });
  const { sql } = handle;
  try {
    // Every acknowledged task exists with its event and its activity row.
    const rows = await sql<{ id: string; events: number; activities: number }[]>`
      select t.id,
        (select count(*)::int from event e where e.org_id = t.org_id and e.type = 'CREATE_TASK' and e.payload->'task'->>'id' = t.id) as events,
        (select count(*)::int from task_activity a where a.task_id = t.id) as activities
      from task t where t.id = any(${acknowledged})`;
    expect(rows.length).toBe(new Set(acknowledged).size);
    expect(rows.filter((row) => row.events !== 1 || row.activities < 1)).toEqual([]);
    // The worker's queue is working again: the delivery accepted after the restart is applied.
    await until("the delivery processed", 15_000, async () => {
      const [row] = await sql<{ status: string }[]>`select status from webhook_delivery where id = ${hook.deliveryId}`;
      return row && row.status !== "queued";
    });
  } finally {
    await handle.close();
  }
}, 120_000);
