import { afterAll, expect, test } from "bun:test";
import { connect } from "@tandem/database";
import type { Subprocess } from "bun";
import { WEB_ORIGIN } from "./harness.ts";
import { signUpWithOrg, spawnBackend } from "./spawn.ts";
import { TestSocket } from "./ws-client.ts";

const procs: Subprocess[] = [];
const handle = connect(process.env.DATABASE_URL ?? "", { applicationName: "shutdown-test" });
afterAll(async () => {
  for (const proc of procs) proc.kill("SIGKILL");
  await handle.close();
});

test("SIGTERM with open sockets: clients get 1001 and the in-flight request still finishes", async () => {
  const backend = await spawnBackend({
    PORT: "0",
    DATABASE_URL: process.env.DATABASE_URL,
    WEB_ORIGINS: WEB_ORIGIN,
    SEED_DEMO: "false",
    AUTH_CREDENTIAL_LIMIT: "10:1000",
    LOG_LEVEL: "info",
    NODE_ENV: "development",
  });
  procs.push(backend.proc);
  const url = backend.url as string;
  expect(backend.url, backend.output).not.toBeNull();
  const { cookie, org, headers } = await signUpWithOrg(url, WEB_ORIGIN, "BYE");
  const socket = new TestSocket(url, { cookie });
  await socket.opened();
  await socket.subscribe(org.id, "tasks");

  // Hold the org's counter so a create is in flight, mid-transaction, when the signal lands.
  const blocker = await handle.sql.reserve();
  await blocker`begin`;
  await blocker`select * from org_counter where org_id = ${org.id} for update`;
  const inFlight = fetch(`${url}/api/orgs/${org.id}/tasks`, {
    method: "POST",
    headers,
    body: JSON.stringify({ title: "Finishes during shutdown" }),
  });
  const deadline = Date.now() + 10_000;
  while ((await handle.sql`select 1 from pg_stat_activity where wait_event_type = 'Lock'`).length === 0) {
    if (Date.now() > deadline) throw new Error("the request never reached the lock");
    await Bun.sleep(25);
  }

  backend.proc.kill("SIGTERM");
  expect((await socket.closed).code).toBe(1001);
  await blocker`rollback`;
  blocker.release();
  const response = await inFlight;
  expect(response.status).toBe(201);
  expect(((await response.json()) as { title: string }).title).toBe("Finishes during shutdown");
  expect(await backend.proc.exited).toBe(0);
}, 60_000);
