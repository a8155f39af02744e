/**
 * API benchmark against real Postgres: `bun run bench:api`.
 *
 * Each subject is paired with a "limit" measured in the same run, so the ratio says how much of
 * the achievable throughput the API keeps:
 *   - board snapshot (1,000 tasks) under a write mix, one PATCH of a task of the same board per
 *     20 requests (so the seq-keyed cache misses as it would on a board in use), with the cache
 *     on and with it off; limit: `wrk` against a bare Bun.serve sending the same bytes;
 *   - task create, 32 in flight in one org; two limits: the same work without the app (raw
 *     postgres.js, prepared, exactly the product's statements: api-create-limit.ts) and, as
 *     before, a bare prepared single-row INSERT loop (the floor of any write).
 * Subject and limits alternate, 3 runs each; medians are reported, then the goals.
 *
 * DATABASE_URL: use that database (leaves its seed data and drops its scratch table).
 * Unset: create `tandem_bench_<timestamp>` on 127.0.0.1:5432 and drop it at the end.
 */
import { composeBackend } from "@tandem/backend/compose";
import { connect, type DbHandle, runMigrations } from "@tandem/database";
import { createTestOrg, createTestTask } from "@tandem/domain/testing";
import { createLogger } from "@tandem/util/server";
import { sameWorkCreate } from "./api-create-limit.ts";
import { CONCURRENCY, DURATION_MS, inProcessLoop, LOAD_SCRIPT, loadConfig, loadTest, WARMUP_MS } from "./api-load.ts";
import { benchNotifier } from "./api-notifier.ts";
import { printGoals } from "./goals.ts";
import { cleanups, prepareDatabase, runBench, signUpBenchUser } from "./lifecycle.ts";
import { type LoadConfig, type Measurement, median } from "./stats.ts";
import { wrkLoad } from "./wrk.ts";

const BOARD_TASKS = 1_000;
/** One PATCH per this many requests on the snapshot's board. */
const WRITE_EVERY = 20;
/** Tasks the write mix PATCHes, each by one worker at a time (at least CONCURRENCY). */
const WRITE_TASKS = 64;
const RUNS = 3;
/** The notifier subject alternates more runs: its two sides differ by less than one run's noise. */
const NOTIFIER_RUNS = 7;
const WEB_ORIGIN = "http://localhost:3000";

type Server = ReturnType<typeof Bun.serve>;

// ---------------------------------------------------------------------------------------------
// Database and backend

/** Warnings and errors only: per-request info lines would be the benchmark's bottleneck. */
const quietLogger = () => createLogger({ service: "bench" }, "warn");

type Backend = { url: string; handle: DbHandle; auth: ReturnType<typeof composeBackend>["auth"] };

/** The real backend in-process, wired like apps/backend/src/server.ts and test/harness.ts. */
async function startBackend(databaseUrl: string, snapshotCacheBytes?: number, notifier = false): Promise<Backend> {
  // The notifier runs when this backend's own commits wake it, never on its timer: during the
  // baseline's runs (served by another backend) it does nothing, so the baseline pays nothing.
  const handle = connect(databaseUrl, { applicationName: "tandem-bench" });
  const backend = composeBackend({
    handle,
    databaseUrl,
    secret: "bench-secret-bench-secret-bench-secret-01",
    baseURL: "http://localhost:5468",
    webOrigins: [WEB_ORIGIN],
    logger: quietLogger(),
    snapshotCacheBytes,
    // Off except in the notifier subject, so the other subjects measure what they did before.
    notifier: { enabled: notifier, pollMs: 3_600_000 },
  });
  const running = await backend.serve({ port: 0, hostname: "127.0.0.1" });
  cleanups.push(() => handle.close());
  cleanups.push(() => running.stop());
  return { url: running.url, handle, auth: backend.auth };
}

type Fixture = { cookie: string; userId: string; boardOrgId: string; writeOrgId: string; writePrefix: string };

/**
 * One user owning two orgs: the board org holds exactly 1,000 tasks for the snapshot (its
 * write mix PATCHes them, never adds any), and creates go to the other.
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
  return { cookie, userId, boardOrgId: board.id, writeOrgId: writes.id, writePrefix: writes.prefix };
}

// ---------------------------------------------------------------------------------------------
// Measuring

// ---------------------------------------------------------------------------------------------
// Subjects

type Pair = { name: string; unit: string; api: Measurement[]; limit: Measurement[] };

type Snapshot = { bytes: Uint8Array; tasks: { id: string; version: number }[] };

/** Fetches the real snapshot once; its bytes become the bare server's constant response. */
async function fetchSnapshot(url: string, cookie: string): Promise<Snapshot> {
  const response = await fetch(url, { headers: { cookie, "accept-encoding": "identity" } });
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (!response.ok) throw new Error(`snapshot: ${response.status} ${new TextDecoder().decode(bytes)}`);
  const page = JSON.parse(new TextDecoder().decode(bytes)) as { tasks: { id: string; version: number }[] };
  if (page.tasks.length !== BOARD_TASKS) throw new Error(`snapshot has ${page.tasks.length} tasks`);
  return { bytes, tasks: page.tasks.map(({ id, version }) => ({ id, version })) };
}

function startBareServer(body: Uint8Array): Server {
  const headers = { "content-type": "application/json" };
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response(body, { headers }) });
  cleanups.push(() => server.stop(true));
  return server;
}

async function benchSnapshot(backend: Backend, fixture: Fixture, variant: string): Promise<Pair> {
  const apiUrl = `${backend.url}/api/orgs/${fixture.boardOrgId}/tasks?limit=${BOARD_TASKS}`;
  const snapshot = await fetchSnapshot(apiUrl, fixture.cookie);
  const bare = startBareServer(snapshot.bytes);
  const bytes = snapshot.bytes.byteLength.toLocaleString("en-US");
  console.log(`board snapshot (${variant}): ${BOARD_TASKS} tasks, ${bytes} bytes per response`);
  const name = `board snapshot (${BOARD_TASKS} tasks, 1 PATCH per ${WRITE_EVERY} requests, ${variant})`;
  const pair: Pair = { name, unit: "reads/s", api: [], limit: [] };
  // Fresh versions each time: an earlier subject's write mix PATCHed these tasks.
  const writes = {
    every: WRITE_EVERY,
    taskUrl: `${backend.url}/api/orgs/${fixture.boardOrgId}/tasks/:taskId`,
    tasks: snapshot.tasks.slice(0, WRITE_TASKS),
  };
  const bareUrl = `http://127.0.0.1:${bare.port}/`;
  for (let run = 1; run <= RUNS; run += 1) {
    const api = await loadTest(loadConfig(apiUrl, { ...cookieGet(fixture.cookie), writes }));
    pair.api.push(report(`  run ${run} api  `, api));
    // The next run's PATCHes need the versions this run left; read them back.
    writes.tasks = (await fetchSnapshot(apiUrl, fixture.cookie)).tasks.slice(0, WRITE_TASKS);
    const limit = await wrkLoad({
      url: bareUrl,
      connections: CONCURRENCY,
      threads: 2,
      warmupMs: WARMUP_MS,
      durationMs: DURATION_MS,
    });
    pair.limit.push(report(`  run ${run} limit`, limit));
  }
  return pair;
}

function cookieGet(cookie: string): Pick<LoadConfig, "method" | "headers"> {
  // The origin is what the web app sends; the write mix's PATCHes need it. Uncompressed, like the
  // limit's bytes (Bun's fetch asks for brotli, which the API now serves from its cache).
  return { method: "GET", headers: { cookie, origin: WEB_ORIGIN, "accept-encoding": "identity" } };
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

type CreatePairs = { sameWork: Pair; insert: Pair };

async function benchCreate(backend: Backend, fixture: Fixture, databaseUrl: string): Promise<CreatePairs> {
  const insert = await scratchInserter(databaseUrl, fixture.writeOrgId);
  const same = await sameWorkCreate(databaseUrl, {
    orgId: fixture.writeOrgId,
    userId: fixture.userId,
    prefix: fixture.writePrefix,
  });
  const apiUrl = `${backend.url}/api/orgs/${fixture.writeOrgId}/tasks`;
  const post = {
    method: "POST" as const,
    headers: { cookie: fixture.cookie, "content-type": "application/json", origin: WEB_ORIGIN },
    body: JSON.stringify({ title: "bench task" }),
  };
  const name = `task create (${CONCURRENCY} in flight, one org)`;
  const sameWork: Pair = { name: `${name} vs same-work limit`, unit: "mut/s", api: [], limit: [] };
  const bareInsert: Pair = { name: `${name} vs bare insert`, unit: "mut/s", api: [], limit: [] };
  for (let run = 1; run <= RUNS; run += 1) {
    const api = report(`  run ${run} api      `, await loadTest(loadConfig(apiUrl, post)));
    sameWork.api.push(api);
    bareInsert.api.push(api);
    sameWork.limit.push(report(`  run ${run} same-work`, await inProcessLoop(same)));
    bareInsert.limit.push(report(`  run ${run} insert   `, await inProcessLoop(insert)));
  }
  return { sameWork, insert: bareInsert };
}

// ---------------------------------------------------------------------------------------------
// Output

const int = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const ms = (value: number) => `${value.toFixed(1)} ms`;
const cores = (value: number | null) => (value === null ? "-" : value.toFixed(2));

function report(label: string, m: Measurement): Measurement {
  if (m.errors > 0) throw new Error(`${label.trim()}: ${m.errors} errors, first: ${m.firstError}`);
  const writes = m.writes ? `  + ${m.writes.count} PATCH p50 ${ms(m.writes.p50Ms)} p99 ${ms(m.writes.p99Ms)}` : "";
  console.log(
    `${label} ${int.format(m.perSecond).padStart(7)}/s  p50 ${ms(m.p50Ms).padStart(8)}  p99 ${ms(m.p99Ms).padStart(8)}` +
      `  n=${m.requests}${writes}  cpu: server ${cores(m.serverCores)} load ${cores(m.loadCores)} host ${cores(m.hostCores)}`,
  );
  return m;
}

const rate = (runs: Measurement[]) => median(runs.map((m) => m.perSecond));

function summaryLine(pair: Pair): string {
  const side = (runs: Measurement[]) =>
    `${int.format(rate(runs))} ${pair.unit} p99 ${ms(median(runs.map((m) => m.p99Ms)))}`;
  const ratio = rate(pair.api) / rate(pair.limit);
  return `${pair.name}: api ${side(pair.api)} | limit ${side(pair.limit)} | ratio ${ratio.toFixed(2)}`;
}

function goals(snapshot: Pair, uncached: Pair, create: CreatePairs): void {
  const apiCreate = rate(create.sameWork.api);
  const sameWork = rate(create.sameWork.limit);
  const row = (pair: Pair, goal: string, pass: boolean | null) => ({
    name: pair.name,
    figure: `${int.format(rate(pair.api))} ${pair.unit}`,
    limit: `${int.format(rate(pair.limit))} ${pair.unit}`,
    ratio: rate(pair.api) / rate(pair.limit),
    goal,
    pass,
  });
  printGoals(`goals (issue 16), medians of ${RUNS}; the machine was shared with other work:`, [
    row(create.sameWork, ">= 0.7x same-work limit and >= 1,000/s", apiCreate / sameWork >= 0.7 && apiCreate >= 1000),
    row(create.insert, "- (floor of any write, for comparison)", null),
    row(snapshot, `>= 0.3x wrk against Bun.serve of the same bytes`, rate(snapshot.api) / rate(snapshot.limit) >= 0.3),
    row(uncached, "- (the cost of building the snapshot)", null),
  ]);
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
  // `bun bench/api.ts notifier` measures only the notifier's cost (issue 14's figure).
  const only = process.argv[2];
  let notifying: Backend | undefined;
  const notifierPair = async (assign: boolean) => {
    notifying ??= await startBackend(databaseUrl, undefined, true);
    console.log(
      `notifier: creates ${assign ? "that each notify an assignee" : "as bench:api makes them (no one to notify)"}, without and with the notifier running`,
    );
    return benchNotifier({
      assign,
      notifying,
      owner: backend,
      orgId: fixture.writeOrgId,
      cookie: fixture.cookie,
      runs: NOTIFIER_RUNS,
      wake: async (url, body) => {
        const response = await fetch(url, {
          method: "POST",
          headers: { cookie: fixture.cookie, "content-type": "application/json", origin: WEB_ORIGIN },
          body,
        });
        if (response.status !== 201) throw new Error(`wake: ${response.status}`);
      },
      load: (url, body) =>
        loadTest(
          loadConfig(url, {
            method: "POST",
            headers: { cookie: fixture.cookie, "content-type": "application/json", origin: WEB_ORIGIN },
            body,
          }),
        ),
      report,
    });
  };
  const onOff = (pair: Awaited<ReturnType<typeof notifierPair>>) =>
    summaryLine(pair).replace("| limit", "| off").replace(": api", ": on");
  if (only === "create") {
    // `bun bench/api.ts create`: only task creates against their limits.
    const create = await benchCreate(backend, fixture, databaseUrl);
    console.log(`\nmedians of ${RUNS} runs (${((performance.now() - started) / 1000).toFixed(0)} s total):`);
    console.log(summaryLine(create.sameWork));
    console.log(summaryLine(create.insert));
    return;
  }
  if (only === "notifier") {
    const plain = await notifierPair(false);
    const assigned = await notifierPair(true);
    console.log(`\nmedians of ${NOTIFIER_RUNS} runs (${((performance.now() - started) / 1000).toFixed(0)} s total):`);
    console.log(onOff(plain));
    console.log(onOff(assigned));
    return;
  }
  const snapshot = await benchSnapshot(backend, fixture, "seq-keyed cache");
  // The same board with the snapshot cache off: the cost of building it from the database.
  const uncached = await benchSnapshot(await startBackend(databaseUrl, 0), fixture, "cache off");
  console.log(
    "task create: api over HTTP via the load subprocess; limits in this process: same-work " +
      "(the product's 7 statements, api-create-limit.ts) and a bare prepared INSERT loop",
  );
  const create = await benchCreate(backend, fixture, databaseUrl);
  const plain = await notifierPair(false);
  const assigned = await notifierPair(true);
  console.log(`\nmedians of ${RUNS} runs (${((performance.now() - started) / 1000).toFixed(0)} s total):`);
  console.log(summaryLine(snapshot));
  console.log(summaryLine(uncached));
  console.log(summaryLine(create.sameWork));
  console.log(summaryLine(create.insert));
  console.log(onOff(plain));
  console.log(onOff(assigned));
  goals(snapshot, uncached, create);
}

await runBench(main);
