import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { DEMO_ORG, DEMO_USER } from "../src/seed.ts";
import { spawnBackend } from "./spawn.ts";

const dataDir = mkdtempSync(join(tmpdir(), "tandem-embedded-"));
const running: Subprocess[] = [];

afterAll(() => {
  for (const proc of running) proc.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the backend the way `bun run start` does, with no DATABASE_URL. */
async function startBackend() {
  const started = await spawnBackend({
    DATABASE_URL: undefined,
    PORT: "0",
    DATA_DIR: dataDir,
    NODE_ENV: "development",
    LOG_LEVEL: "info",
  });
  running.push(started.proc);
  return started;
}

async function json(response: Promise<Response>): Promise<any> {
  return (await response).json();
}

async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: "http://localhost:3000" },
    body: JSON.stringify({ email: DEMO_USER.email, password: DEMO_USER.password }),
  });
  expect(res.status).toBe(200);
  return (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}

test("with no DATABASE_URL the backend runs on the embedded database, seeded and persistent", async () => {
  const first = await startBackend();
  expect(first.url, first.output).not.toBeNull();
  const url = first.url as string;
  expect(first.output).toContain(DEMO_USER.email);
  expect((await fetch(`${url}/health/ready`)).status).toBe(200);

  const cookie = await signIn(url);
  const me = await json(fetch(`${url}/api/me`, { headers: { cookie } }));
  const org = me.orgs.find((o: { slug: string }) => o.slug === DEMO_ORG.slug);
  expect(org).toBeDefined();
  const board = await json(fetch(`${url}/api/orgs/${org.id}/tasks?limit=1000`, { headers: { cookie } }));
  expect(board.tasks.length).toBe(30);
  const publicBoard = await json(fetch(`${url}/api/public/orgs/${DEMO_ORG.slug}/tasks`));
  expect(publicBoard.tasks.length).toBeGreaterThan(0);
  expect(publicBoard.tasks.length).toBeLessThan(30);

  const created = await fetch(`${url}/api/orgs/${org.id}/tasks`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ title: "Survives a restart" }),
  });
  expect(created.status, await created.clone().text()).toBe(201);

  // Concurrent clients on several pooled connections must not interleave on the one backend.
  const burst = await Promise.all([
    ...Array.from({ length: 10 }, () => fetch(`${url}/api/orgs/${org.id}/tasks?limit=5`, { headers: { cookie } })),
    ...Array.from({ length: 10 }, (_, i) =>
      fetch(`${url}/api/orgs/${org.id}/labels`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json" },
        body: JSON.stringify({ name: `burst-${i}` }),
      }),
    ),
  ]);
  expect(burst.map((r) => r.status).sort()).toEqual([...Array(10).fill(200), ...Array(10).fill(201)].sort());

  // A second process must not open the same data directory.
  const intruder = await startBackend();
  expect(intruder.url).toBeNull();
  expect(intruder.output).toContain("already open by process");

  first.proc.kill("SIGTERM");
  await first.proc.exited;

  const second = await startBackend();
  expect(second.url, second.output).not.toBeNull();
  const cookie2 = await signIn(second.url as string);
  const after = await json(
    fetch(`${second.url}/api/orgs/${org.id}/tasks?limit=1000`, { headers: { cookie: cookie2 } }),
  );
  expect(after.tasks.length).toBe(31);
  expect(after.tasks.map((t: { title: string }) => t.title)).toContain("Survives a restart");
  second.proc.kill("SIGTERM");
  await second.proc.exited;
}, 180_000);
