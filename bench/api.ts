/**
 * API benchmark against real Postgres: `bun run bench:api`.
 *
 * Each subject is paired with a "limit", the same work with the application taken out, so the
 * ratio says how much of the achievable throughput the API keeps:
 *   - board snapshot: GET 1,000 tasks through the backend vs a bare Bun.serve sending the same bytes;
 *   - task create: POST through the backend vs a bare prepared single-row INSERT loop.
 * Subject and limit alternate, 3 runs each; medians are reported.
 *
 * DATABASE_URL: use that database (leaves its seed data and drops its scratch table).
 * Unset: create `tandem_bench_<timestamp>` on 127.0.0.1:5432 and drop it at the end.
 */
import { fileURLToPath } from "node:url";
import { composeBackend } from "@tandem/backend/compose";
import { connect, type DbHandle, runMigrations } from "@tandem/database";
import { createTestOrg, createTestTask } from "@tandem/domain/testing";
import { createLogger } from "@tandem/util/server";
import { cleanups, prepareDatabase, runCleanups, signUpBenchUser } from "./lifecycle.ts";
import type { LoadResult } from "./load.ts";
import { busyCores, hostCpu, type LoadConfig, type Measurement, median, processCpuSeconds, Recorder } from "./stats.ts";

const BOARD_TASKS = 1_000;
const CONCURRENCY = 32;
const RUNS = 3;
const WARMUP_MS = 500;
const DURATION_MS = 4_000;
const LOAD_SCRIPT = fileURLToPath(new URL("./load.ts", import.meta.url));
const WEB_ORIGIN = "http://localhost:3000";

type Server = ReturnType<typeof Bun.serve>;

// ---------------------------------------------------------------------------------------------
// Database and backend

/** Warnings and errors only: per-request info lines would be the benchmark's bottleneck. */
const quietLogger = () => createLogger({ service: "bench" }, "warn");

type Backend = { url: string; handle: DbHandle; auth: ReturnType<typeof composeBackend>["auth"] };

/** The real backend in-process, wired like apps/backend/src/server.ts and test/harness.ts. */
async function startBackend(databaseUrl: string, snapshotCacheBytes?: number): Promise<Backend> {
  const handle = connect(databaseUrl, { applicationName: "tandem-bench" });
  const backend = composeBackend({
    handle,
    databaseUrl,
    secret: "bench-secret-bench-secret-bench-secret-01",
    baseURL: "http://localhost:5468",
    webOrigins: [WEB_ORIGIN],
    logger: quietLogger(),
    snapshotCacheBytes,
  });
  const running = await backend.serve({ port: 0, hostname: "127.0.0.1" });
  cleanups.push(() => handle.close());
  cleanups.push(() => running.stop());
  return { url: running.url, handle, auth: backend.auth };
}

type Fixture = { cookie: string; boardOrgId: string; writeOrgId: string };

/**
 * One user owning two orgs: the board org holds exactly 1,000 tasks for the snapshot, and
 * creates go to the other so the snapshot's bytes never change during the run.
 */
async function seed(backend: Backend): Promise<Fixture> {
  const { cookie, userId } = await signUpBenchUser(backend.auth, `bench-${Date.now()}@example.test`);
  const { db } = backend.handle;
  const board = await createTestOrg(db, { ownerId: userId, name: "Bench board" });
  const writes = await createTestOrg(db, { ownerId: userId, name: "Bench writes", prefix: "WR" });
  // Sequential on purpose: creates serialise on the org's task counter anyway.
  for (let i = 0; i < BOARD_TASKS; i += 1) {
    await createTestTask(db, board.id, { title: `Seeded task ${i}`, description: `Description of task ${i}` });
  }
  return { cookie, boardOrgId: board.id, writeOrgId: writes.id };
}

// ---------------------------------------------------------------------------------------------
// Measuring

/** Splits a byte stream into lines, as the load generator writes them. */
async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of stream) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
      yield buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
    }
  }
  if (buffer) yield buffer;
}

/** Runs the load generator subprocess; this process's CPU is sampled over its measured window. */
async function loadTest(config: LoadConfig): Promise<Measurement> {
  const child = Bun.spawn(["bun", LOAD_SCRIPT, JSON.stringify(config)], { stdout: "pipe", stderr: "inherit" });
  let window: { cpu: number; host: ReturnType<typeof hostCpu> } | null = null;
  let result: LoadResult | null = null;
  for await (const line of lines(child.stdout)) {
    if (line === "start") window = { cpu: processCpuSeconds(), host: hostCpu() };
    else if (line.trim()) result = JSON.parse(line) as LoadResult;
  }
  const serverCpu = processCpuSeconds();
  const host = hostCpu();
  const code = await child.exited;
  if (code !== 0 || !result || !window) throw new Error(`load generator failed (exit ${code})`);
  return {
    requests: result.requests,
    errors: result.errors,
    firstError: result.firstError,
    seconds: result.seconds,
    perSecond: result.requests / result.seconds,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    serverCores: (serverCpu - window.cpu) / result.seconds,
    loadCores: result.cpuCores,
    hostCores: busyCores(window.host, host),
  };
}

/** Closed loop in this process: `CONCURRENCY` workers each keep one call in flight. */
async function inProcessLoop(call: () => Promise<unknown>): Promise<Measurement> {
  const recorder = new Recorder();
  const measureFrom = performance.now() + WARMUP_MS;
  const deadline = measureFrom + DURATION_MS;
  const worker = async () => {
    for (let started = performance.now(); started < deadline; started = performance.now()) {
      const error = await call().then(
        () => null,
        (cause: unknown) => String(cause),
      );
      if (started < measureFrom) continue;
      if (error) recorder.fail(error);
      else recorder.record(performance.now() - started);
    }
  };
  const workers = Array.from({ length: CONCURRENCY }, worker);
  await Bun.sleep(Math.max(0, measureFrom - performance.now()));
  const cpuFrom = processCpuSeconds();
  const hostFrom = hostCpu();
  const wallFrom = performance.now();
  await Promise.all(workers);
  const seconds = (performance.now() - wallFrom) / 1000;
  return {
    requests: recorder.count,
    errors: recorder.errors,
    firstError: recorder.firstError,
    seconds,
    perSecond: recorder.count / seconds,
    ...recorder.percentiles(),
    serverCores: (processCpuSeconds() - cpuFrom) / seconds,
    loadCores: null,
    hostCores: busyCores(hostFrom, hostCpu()),
  };
}

function loadConfig(url: string, init: Pick<LoadConfig, "method" | "headers" | "body">): LoadConfig {
  return { url, ...init, concurrency: CONCURRENCY, warmupMs: WARMUP_MS, durationMs: DURATION_MS };
}

// ---------------------------------------------------------------------------------------------
// Subjects

type Pair = { name: string; unit: string; api: Measurement[]; limit: Measurement[] };

/** Fetches the real snapshot once; its bytes become the bare server's constant response. */
async function fetchSnapshot(url: string, cookie: string): Promise<Uint8Array> {
  const response = await fetch(url, { headers: { cookie } });
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (!response.ok) throw new Error(`snapshot: ${response.status} ${new TextDecoder().decode(bytes)}`);
  const page = JSON.parse(new TextDecoder().decode(bytes)) as { tasks: unknown[] };
  if (page.tasks.length !== BOARD_TASKS) throw new Error(`snapshot has ${page.tasks.length} tasks`);
  return bytes;
}

function startBareServer(body: Uint8Array): Server {
  const headers = { "content-type": "application/json" };
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response(body, { headers }) });
  cleanups.push(() => server.stop(true));
  return server;
}

async function benchSnapshot(backend: Backend, fixture: Fixture, variant: string): Promise<Pair> {
  const apiUrl = `${backend.url}/api/orgs/${fixture.boardOrgId}/tasks?limit=${BOARD_TASKS}`;
  const body = await fetchSnapshot(apiUrl, fixture.cookie);
  const bare = startBareServer(body);
  console.log(`board snapshot: ${BOARD_TASKS} tasks, ${body.byteLength.toLocaleString("en-US")} bytes per response`);
  const pair: Pair = { name: `board snapshot (${BOARD_TASKS} tasks, ${variant})`, unit: "req/s", api: [], limit: [] };
  for (let run = 1; run <= RUNS; run += 1) {
    pair.api.push(report(`  run ${run} api  `, await loadTest(loadConfig(apiUrl, cookieGet(fixture.cookie)))));
    const bareUrl = `http://127.0.0.1:${bare.port}/`;
    pair.limit.push(report(`  run ${run} limit`, await loadTest(loadConfig(bareUrl, { method: "GET", headers: {} }))));
  }
  return pair;
}

function cookieGet(cookie: string): Pick<LoadConfig, "method" | "headers"> {
  return { method: "GET", headers: { cookie } };
}

/** The limit's insert: same database, same driver and pool size as the backend, no app logic. */
async function scratchInserter(databaseUrl: string, orgId: string): Promise<() => Promise<unknown>> {
  const handle = connect(databaseUrl, { applicationName: "tandem-bench-insert" });
  cleanups.push(() => handle.close());
  const { sql } = handle;
  await sql`create table if not exists bench_insert (
    id text primary key, org_id text not null, title text not null, created_at timestamptz not null default now())`;
  cleanups.push(() => sql`drop table if exists bench_insert`);
  // postgres.js runs tagged queries as named prepared statements (prepare is on for real Postgres).
  return () =>
    sql`insert into bench_insert (id, org_id, title) values (${crypto.randomUUID()}, ${orgId}, 'bench task')`;
}

async function benchCreate(backend: Backend, fixture: Fixture, databaseUrl: string): Promise<Pair> {
  const insert = await scratchInserter(databaseUrl, fixture.writeOrgId);
  const apiUrl = `${backend.url}/api/orgs/${fixture.writeOrgId}/tasks`;
  const post = {
    method: "POST" as const,
    headers: { cookie: fixture.cookie, "content-type": "application/json" },
    body: JSON.stringify({ title: "bench task" }),
  };
  const pair: Pair = { name: `task create (${CONCURRENCY} in flight)`, unit: "mut/s", api: [], limit: [] };
  for (let run = 1; run <= RUNS; run += 1) {
    pair.api.push(report(`  run ${run} api  `, await loadTest(loadConfig(apiUrl, post))));
    pair.limit.push(report(`  run ${run} limit`, await inProcessLoop(insert)));
  }
  return pair;
}

// ---------------------------------------------------------------------------------------------
// Output

const int = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const ms = (value: number) => `${value.toFixed(1)} ms`;
const cores = (value: number | null) => (value === null ? "-" : value.toFixed(2));

function report(label: string, m: Measurement): Measurement {
  if (m.errors > 0) throw new Error(`${label.trim()}: ${m.errors} errors, first: ${m.firstError}`);
  console.log(
    `${label} ${int.format(m.perSecond).padStart(7)}/s  p50 ${ms(m.p50Ms).padStart(8)}  p99 ${ms(m.p99Ms).padStart(8)}` +
      `  n=${m.requests}  cpu: server ${cores(m.serverCores)} load ${cores(m.loadCores)} host ${cores(m.hostCores)}`,
  );
  return m;
}

function summaryLine(pair: Pair): string {
  const side = (runs: Measurement[]) => {
    const rate = median(runs.map((m) => m.perSecond));
    return { rate, text: `${int.format(rate)} ${pair.unit} p99 ${ms(median(runs.map((m) => m.p99Ms)))}` };
  };
  const api = side(pair.api);
  const limit = side(pair.limit);
  return `${pair.name}: api ${api.text} | limit ${limit.text} | ratio ${(api.rate / limit.rate).toFixed(2)}`;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  const databaseUrl = await prepareDatabase();
  console.log(`database: ${new URL(databaseUrl).pathname.slice(1)}`);
  await runMigrations(databaseUrl);
  const backend = await startBackend(databaseUrl);
  const fixture = await seed(backend);
  console.log(
    `load: separate bun subprocess (${LOAD_SCRIPT.split("/").pop()}), ${CONCURRENCY} in flight, ` +
      `${WARMUP_MS} ms warm-up + ${DURATION_MS} ms measured, ${RUNS} alternating runs; cpu in cores`,
  );
  const snapshot = await benchSnapshot(backend, fixture, "seq-keyed cache");
  // The same board with the snapshot cache off: the cost of building it from the database.
  const uncached = await benchSnapshot(await startBackend(databaseUrl, 0), fixture, "cache off");
  console.log("task create: api over HTTP via the load subprocess; limit = prepared INSERT loop in this process");
  const create = await benchCreate(backend, fixture, databaseUrl);
  console.log(`\nmedians of ${RUNS} runs (${((performance.now() - started) / 1000).toFixed(0)} s total):`);
  console.log(summaryLine(snapshot));
  console.log(summaryLine(uncached));
  console.log(summaryLine(create));
}

process.on("SIGINT", () => {
  void runCleanups().finally(() => process.exit(130));
});

try {
  await main();
} finally {
  await runCleanups();
}
