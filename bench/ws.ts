/**
 * Real-time hub benchmark against real Postgres: `bun run bench:ws`.
 *
 * Subscribers live in separate `bun` processes (ws-subscribers.ts) and report receipt times;
 * the backend (and its hub) runs in this process. Each subject is paired with a "limit": a bare
 * Bun.serve publishing the same ~300-byte message with `server.publish` to the same number of
 * sockets, so the ratio says how much of the transport's capacity the hub keeps:
 *   1. fan-out: 1,000 sockets in one room, a burst of 3,000 events -> deliveries/s;
 *   2. latency: 100 events/s to 100 and to 1,000 sockets -> publish-to-receipt p50/p99;
 *   3. end to end: HTTP PATCH at 200/s -> commit -> event log -> 100 sockets, p50/p99;
 *   4. memory: server RSS per idle subscribed socket at 5,000 sockets (fresh server processes).
 * Subject and limit alternate, 3 runs each after a warm-up; medians are reported. A run during
 * which other work kept the machine busy (cores used beyond ours and our Postgres backends) is
 * discarded and repeated, a bounded number of times.
 *
 * DATABASE_URL: use that database (leaves its bench data behind).
 * Unset: create `tandem_bench_<timestamp>` on 127.0.0.1:5432 and drop it at the end.
 */
import { readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { composeBackend } from "@tandem/backend/compose";
import { appendEvent, connect, type DbHandle, runMigrations } from "@tandem/database";
import { createTestOrg, createTestTask } from "@tandem/domain/testing";
import { createLogger } from "@tandem/util/server";
import { cleanups, prepareDatabase, runCleanups, signUpBenchUser } from "./lifecycle.ts";
import { busyCores, hostCpu, median, processCpuSeconds } from "./stats.ts";
import { envelope, startBareServer } from "./ws-bare.ts";
import {
  benchTitle,
  Child,
  now,
  type PatcherCommand,
  type PatcherConfig,
  type PatcherReport,
  paced,
  type ServerCommand,
  type ServerConfig,
  type ServerReport,
  type SubscriberCommand,
  type SubscriberConfig,
  type SubscriberReport,
  type WindowResult,
} from "./ws-protocol.ts";

const WEB_ORIGIN = "http://localhost:3000";
const SECRET = "bench-secret-bench-secret-bench-secret-01";
const RUNS = 3;
const MESSAGE_BYTES = 300;
const FANOUT_SOCKETS = 1_000;
const BURST_EVENTS = 3_000;
const LATENCY_RATE = 100;
const LATENCY_EVENTS = 300;
const E2E_SOCKETS = 100;
const E2E_RATE = 200;
const E2E_MUTATIONS = 600;
// Each task is patched every E2E_TASKS / E2E_RATE s, far longer than a PATCH takes: no 409s.
const E2E_TASKS = 20;
const MEMORY_SOCKETS = 5_000;
const MEMORY_PROCESSES = 2;
// One room of 5,000 would make joining quadratic (every join is announced to the whole room
// and SUBSCRIBED lists everyone present), so the idle sockets are spread over rooms of 100.
const MEMORY_ROOMS = 50;
const MEMORY_WARMUP_SOCKETS = 50;
const BARE_TOPIC = "bench:tasks";
// A run with more cores than this busy outside the benchmark (other work on the machine) is
// measured again, at most RETRIES_PER_RUN times per run and MAX_RETRIES over the whole
// benchmark, to bound its runtime when the machine stays busy.
const OUTSIDE_LIMIT = 0.25;
const RETRIES_PER_RUN = 1;
const MAX_RETRIES = 4;
const SUBSCRIBER_SCRIPT = fileURLToPath(new URL("./ws-subscribers.ts", import.meta.url));
const SERVER_SCRIPT = fileURLToPath(new URL("./ws-server.ts", import.meta.url));
const PATCHER_SCRIPT = fileURLToPath(new URL("./ws-patcher.ts", import.meta.url));

type Subscribers = Child<SubscriberReport, SubscriberCommand>;
type ServerChild = Child<ServerReport, ServerCommand>;
type Patcher = Child<PatcherReport, PatcherCommand>;

const retries = { left: MAX_RETRIES, used: 0 };
/** Lost, duplicated or reordered deliveries and closed sockets, repeated under the summary. */
const anomalies: string[] = [];

// ---------------------------------------------------------------------------------------------
// Database, backend, fixture

type Backend = {
  url: string;
  wsUrl: string;
  handle: DbHandle;
  auth: ReturnType<typeof composeBackend>["auth"];
  hub: ReturnType<typeof composeBackend>["hub"];
};

/** The real backend in-process, wired like apps/backend/src/server.ts; warnings and errors only. */
async function startBackend(databaseUrl: string): Promise<Backend> {
  const handle = connect(databaseUrl, { applicationName: "tandem-bench-ws" });
  const backend = composeBackend({
    handle,
    databaseUrl,
    secret: SECRET,
    baseURL: "http://localhost:5468",
    webOrigins: [WEB_ORIGIN],
    logger: createLogger({ service: "bench" }, "warn"),
  });
  const running = await backend.serve({ port: 0, hostname: "127.0.0.1" });
  cleanups.push(() => handle.close());
  cleanups.push(() => running.stop());
  return {
    url: running.url,
    wsUrl: `${running.url.replace(/^http/, "ws")}/ws`,
    handle,
    auth: backend.auth,
    hub: backend.hub,
  };
}

type Fixture = { cookie: string; orgId: string; tasks: { id: string; version: number }[]; memoryOrgIds: string[] };

/** One user: the room every subject uses, its tasks for the PATCHes, and the memory subject's rooms. */
async function seed(backend: Backend): Promise<Fixture> {
  const { cookie, userId } = await signUpBenchUser(backend.auth, `bench-${Date.now()}@example.test`);
  const { db } = backend.handle;
  const ownerId = userId;
  const org = await createTestOrg(db, { ownerId, name: "Bench room" });
  const tasks: Fixture["tasks"] = [];
  for (let i = 0; i < E2E_TASKS; i += 1) {
    const task = await createTestTask(db, org.id, { title: `PATCH target ${i}` });
    tasks.push({ id: task.id, version: task.version });
  }
  const memoryOrgIds: string[] = [];
  for (let i = 0; i < MEMORY_ROOMS; i += 1) {
    memoryOrgIds.push((await createTestOrg(db, { ownerId, name: `Bench idle ${i}`, prefix: "ID" })).id);
  }
  return { cookie, orgId: org.id, tasks, memoryOrgIds };
}

// ---------------------------------------------------------------------------------------------
// Messages

/**
 * The event the burst and paced runs append straight to the log. The catalogue types every
 * payload, and a whole task is bigger than MESSAGE_BYTES: a member event carries the
 * publish-time title in 300 B, and the hub routes every members event the same way.
 */
const BENCH_EVENT = "UPDATE_MEMBER";
function payload(publishedAt: number, seq: number, padTo: number): { userIds: string[] } {
  return { userIds: [benchTitle(publishedAt, seq, padTo)] };
}

/** The title length that makes the delivered envelope MESSAGE_BYTES long (seq and timestamps vary a digit). */
function titleLength(orgId: string): number {
  const sample = envelope(BENCH_EVENT, payload(now(), 0, 0), orgId, 10_000);
  return MESSAGE_BYTES - (sample.length - benchTitle(now(), 0).length);
}

// ---------------------------------------------------------------------------------------------
// Child processes

async function startSubscribers(
  name: string,
  url: string,
  sockets: number,
  orgIds: string[] | null,
  cookie: string,
): Promise<Subscribers> {
  const config: SubscriberConfig = {
    url,
    headers: orgIds ? { origin: WEB_ORIGIN, cookie } : {},
    sockets,
    orgIds,
    connectConcurrency: 64,
  };
  const child = Child.spawn<SubscriberReport, SubscriberCommand>(name, SUBSCRIBER_SCRIPT, config);
  cleanups.push(() => child.stop({ cmd: "exit" }));
  const ready = await child.next("ready", 180_000);
  if (ready.failed > 0) throw new Error(`${name}: ${ready.failed} sockets failed, first: ${ready.firstFailure}`);
  const rate = ready.sockets / (ready.connectMs / 1000);
  console.log(
    `  ${name}: ${int.format(ready.sockets)} sockets connected and subscribed in ${ms(ready.connectMs)}` +
      ` (${int.format(rate)}/s, pid ${child.pid})`,
  );
  return child;
}

// ---------------------------------------------------------------------------------------------
// Measuring

type Run = {
  deliveries: number;
  expected: number;
  /** From the clock start to the last delivery at the last socket. */
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  serverCores: number;
  /** CPU seconds of the server process over the window. */
  serverCpuSeconds: number;
  subscriberCores: number;
  /** The PATCH generator's, when there is one. */
  loadCores: number | null;
  /** The Postgres backends serving the benchmark's database. */
  postgresCores: number;
  hostCores: number;
  problems: string[];
  note: string;
};

/**
 * A publisher calls `arm` when the subscribers should start counting (after any preparation
 * that is not timed), and resolves with the clock start once everything is published.
 */
type Publisher = (arm: () => Promise<void>) => Promise<{ t0: number; note?: string; loadCores?: number }>;

type Mark = { cpu: number; host: ReturnType<typeof hostCpu>; postgres: Map<number, number>; at: number };

async function mark(): Promise<Mark> {
  const postgres = await postgresCpu();
  return { cpu: processCpuSeconds(), host: hostCpu(), postgres, at: now() };
}

// Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks.
const CLOCK_TICKS = 100;
/** A connection that lists the Postgres backends of the benchmark's database (set in main). */
const pgMonitor: { handle: DbHandle | null } = { handle: null };

/**
 * CPU seconds so far of each Postgres backend connected to the benchmark's database, read from
 * /proc: Postgres runs on this machine, and without it the "outside" cores would count it.
 */
async function postgresCpu(): Promise<Map<number, number>> {
  const cpu = new Map<number, number>();
  const handle = pgMonitor.handle;
  if (!handle) return cpu;
  const rows = await handle.sql<{ pid: number }[]>`
    select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
  for (const { pid } of rows) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // Fields after "(comm) ": state is field 3, utime and stime are fields 14 and 15.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS);
    } catch {
      // The backend exited meanwhile: its time is lost, a few ticks at most.
    }
  }
  return cpu;
}

function postgresSeconds(from: Map<number, number>, to: Map<number, number>): number {
  let seconds = 0;
  for (const [pid, total] of to) seconds += total - (from.get(pid) ?? 0);
  return seconds;
}

async function measure(subscribers: Subscribers, label: string, events: number, publisher: Publisher): Promise<Run> {
  const timeoutMs = 90_000;
  // Set by `arm`, inside the publisher: this process's CPU counts from there.
  const armed: { from: Mark | null } = { from: null };
  const arm = async () => {
    subscribers.send({ cmd: "arm", events, timeoutMs });
    await subscribers.next("armed", 10_000);
    armed.from = await mark();
  };
  const { t0, note, loadCores } = await publisher(arm);
  const result = await subscribers.next("result", timeoutMs + 10_000);
  const until = await mark();
  const from = armed.from;
  if (!from) throw new Error(`${label}: the publisher never armed the subscribers`);
  const seconds = (result.lastAt - t0) / 1000;
  return {
    deliveries: result.deliveries,
    expected: result.expected,
    seconds,
    perSecond: result.deliveries / seconds,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    serverCores: (until.cpu - from.cpu) / ((until.at - from.at) / 1000),
    serverCpuSeconds: until.cpu - from.cpu,
    subscriberCores: result.cpuSeconds / ((result.lastAt - result.armedAt) / 1000),
    loadCores: loadCores ?? null,
    postgresCores: postgresSeconds(from.postgres, until.postgres) / ((until.at - from.at) / 1000),
    hostCores: busyCores(from.host, until.host),
    problems: problems(label, result),
    note: note ?? "",
  };
}

function problems(label: string, r: WindowResult): string[] {
  const found: string[] = [];
  if (r.deliveries < r.expected) found.push(`${int.format(r.expected - r.deliveries)} deliveries missing`);
  if (r.deliveries > r.expected) found.push(`${int.format(r.deliveries - r.expected)} deliveries too many`);
  if (r.incompleteSockets > 0) found.push(`${r.incompleteSockets} sockets without exactly the events sent`);
  if (r.outOfOrder > 0) found.push(`${r.outOfOrder} duplicate or out-of-order`);
  if (r.closed > 0) found.push(`${r.closed} sockets closed (first: ${r.firstClose})`);
  if (r.errors > 0) found.push(`${r.errors} ERROR messages (first: ${r.firstError})`);
  if (r.stray > 0) found.push(`${r.stray} stray messages outside a window`);
  if (r.timedOut) found.push("timed out");
  for (const problem of found) anomalies.push(`${label}: ${problem}`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Publishers

type Bench = { backend: Backend; fixture: Fixture; bare: ReturnType<typeof startBareServer>; padTo: number };

let bareSeq = 0;

function barePublish(bench: Bench, seq: number): void {
  bareSeq += 1;
  const message = envelope(BENCH_EVENT, payload(now(), seq, bench.padTo), bench.fixture.orgId, bareSeq);
  bench.bare.publish(BARE_TOPIC, message);
}

/**
 * The hub's burst: 3,000 events appended in one transaction (pipelined, untimed), the clock
 * started just before COMMIT. The commit's NOTIFY wakes the hub; the in-process commit hook
 * only fires for domain verbs, so it is woken by hand too, as a local worker would.
 */
function hubBurst(bench: Bench): Publisher {
  const { db } = bench.backend.handle;
  const { orgId } = bench.fixture;
  return async (arm) => {
    let t0 = 0;
    const appendFrom = performance.now();
    let appendMs = 0;
    await db.transaction(async (tx) => {
      for (let from = 0; from < BURST_EVENTS; from += 100) {
        const batch = Array.from({ length: Math.min(100, BURST_EVENTS - from) }, (_, k) =>
          appendEvent(tx, {
            orgId,
            type: BENCH_EVENT,
            visibility: "members",
            actorId: null,
            payload: payload(now(), from + k, bench.padTo),
          }),
        );
        await Promise.all(batch);
      }
      appendMs = performance.now() - appendFrom;
      await arm();
      t0 = now();
    });
    void bench.backend.hub.wake(orgId);
    return { t0, note: `clock from COMMIT; append of ${int.format(BURST_EVENTS)} untimed: ${ms(appendMs)}` };
  };
}

function bareBurst(bench: Bench): Publisher {
  return async (arm) => {
    await arm();
    const t0 = now();
    for (let i = 0; i < BURST_EVENTS; i += 1) barePublish(bench, i);
    return { t0, note: "one synchronous publish loop" };
  };
}

/** One event per transaction, publish time taken before it starts; delivered through NOTIFY only. */
function hubPaced(bench: Bench, rate: number, count: number): Publisher {
  const { db } = bench.backend.handle;
  const { orgId } = bench.fixture;
  return async (arm) => {
    await arm();
    const t0 = now();
    await paced(rate, count, (i) => {
      const publishedAt = now();
      return db.transaction((tx) =>
        appendEvent(tx, {
          orgId,
          type: BENCH_EVENT,
          visibility: "members",
          actorId: null,
          payload: payload(publishedAt, i, bench.padTo),
        }),
      );
    });
    return { t0 };
  };
}

function barePaced(bench: Bench, rate: number, count: number): Publisher {
  return async (arm) => {
    await arm();
    const t0 = now();
    await paced(rate, count, (i) => {
      barePublish(bench, i);
      return undefined;
    });
    return { t0 };
  };
}

/** PATCHes from the patcher process; its publish time is just before each request is sent. */
type PatchStats = { messageBytes: number[]; p50Ms: number[]; p99Ms: number[] };

function httpPatches(patcher: Patcher, stats: PatchStats): Publisher {
  return async (arm) => {
    await arm();
    const t0 = now();
    patcher.send({ cmd: "run", rate: E2E_RATE, count: E2E_MUTATIONS });
    const done = await patcher.next("done", 60_000);
    if (done.errors > 0) anomalies.push(`end to end: ${done.errors} PATCHes failed, first: ${done.firstError}`);
    stats.messageBytes.push(done.messageBytes);
    stats.p50Ms.push(done.p50Ms);
    stats.p99Ms.push(done.p99Ms);
    return {
      t0,
      note: `PATCH response p50 ${ms(done.p50Ms)} p99 ${ms(done.p99Ms)}, ${done.errors} failed`,
      loadCores: done.cpuSeconds / done.seconds,
    };
  };
}

async function startPatcher(backend: Backend, fixture: Fixture): Promise<Patcher> {
  const config: PatcherConfig = {
    url: backend.url,
    orgId: fixture.orgId,
    cookie: fixture.cookie,
    origin: WEB_ORIGIN,
    tasks: fixture.tasks,
  };
  const patcher = Child.spawn<PatcherReport, PatcherCommand>("patcher", PATCHER_SCRIPT, config);
  cleanups.push(() => patcher.stop({ cmd: "exit" }));
  return patcher;
}

// ---------------------------------------------------------------------------------------------
// Subjects

type Pair = { name: string; hub: Run[]; limit: Run[] };

async function alternate(
  name: string,
  events: number,
  subjects: { hub: [Subscribers, () => Publisher]; limit: [Subscribers, () => Publisher] },
  format: (run: Run) => string,
): Promise<Pair> {
  const pair: Pair = { name, hub: [], limit: [] };
  // Run 0 is a warm-up (code paths compiled, buffers and pools grown), shown but not counted.
  for (let run = 0; run <= RUNS; run += 1) {
    for (const side of ["hub", "limit"] as const) {
      const [subscribers, publisher] = subjects[side];
      const label = `${name}, ${run === 0 ? "warm-up" : `run ${run}`} ${side}`;
      for (let attempt = 0; ; attempt += 1) {
        const result = await measure(subscribers, label, events, publisher());
        // Someone else's work on this 2-core machine (tests, builds) swamps these figures.
        const canRetry = run > 0 && attempt < RETRIES_PER_RUN && retries.left > 0;
        const disturbed = canRetry && outsideCores(result) > OUTSIDE_LIMIT;
        const flags = result.problems.length > 0 ? `  !! ${result.problems.join("; ")}` : "";
        const load = result.loadCores === null ? "" : ` patcher ${cores(result.loadCores)}`;
        console.log(
          `  ${run === 0 ? "warm " : `run ${run}`} ${side.padEnd(5)} ${format(result)}  n=${int.format(result.deliveries)}` +
            `  cpu: server ${cores(result.serverCores)} subs ${cores(result.subscriberCores)}${load}` +
            ` pg ${cores(result.postgresCores)} outside ${cores(outsideCores(result))}` +
            `${result.note ? `  (${result.note})` : ""}${flags}${disturbed ? "  -> discarded, busy machine" : ""}`,
        );
        // Let the sockets' buffers drain and Postgres settle before the next window.
        await Bun.sleep(disturbed ? 3_000 : 300);
        if (!disturbed) {
          if (run > 0) pair[side].push(result);
          break;
        }
        retries.left -= 1;
        retries.used += 1;
      }
    }
  }
  return pair;
}

const throughputLine = (r: Run) =>
  `${int.format(r.perSecond).padStart(10)} deliveries/s  last at ${ms(r.seconds * 1000)}`;
const latencyLine = (r: Run) => `p50 ${ms(r.p50Ms).padStart(8)}  p99 ${ms(r.p99Ms).padStart(8)}`;

type MemoryRun = { perSocket: number; before: number; after: number; sockets: number; clients: number | null };
type MemoryPair = { name: string; hub: MemoryRun[]; limit: MemoryRun[] };

/** A fresh server process, warmed by a few sockets, then RSS before and after `sockets` idle subscribers. */
async function memoryRun(kind: "hub" | "bare", databaseUrl: string, fixture: Fixture, sockets: number) {
  const config: ServerConfig = { kind, databaseUrl, webOrigin: WEB_ORIGIN, secret: SECRET, topic: BARE_TOPIC };
  const server: ServerChild = Child.spawn<ServerReport, ServerCommand>(`${kind} server`, SERVER_SCRIPT, config);
  cleanups.push(() => server.stop({ cmd: "exit" }));
  const { url } = await server.next("listening", 30_000);
  const orgIds = kind === "hub" ? fixture.memoryOrgIds : null;
  // The first sockets load and compile the upgrade and subscribe paths: one-off, not per socket.
  const warm = await startSubscribers("warm-up", url, MEMORY_WARMUP_SOCKETS, orgIds, fixture.cookie);
  await warm.stop({ cmd: "exit" });
  await Bun.sleep(200);
  server.send({ cmd: "rss" });
  const before = await server.next("rss", 30_000);
  const share = Math.ceil(sockets / MEMORY_PROCESSES);
  const parts = await Promise.all(
    Array.from({ length: MEMORY_PROCESSES }, (_, p) =>
      startSubscribers(
        `${kind} subscribers ${p + 1}/${MEMORY_PROCESSES}`,
        url,
        Math.min(share, sockets - p * share),
        orgIds,
        fixture.cookie,
      ),
    ),
  );
  server.send({ cmd: "rss" });
  const after = await server.next("rss", 30_000);
  await Promise.all(parts.map((part) => part.stop({ cmd: "exit" })));
  await server.stop({ cmd: "exit" });
  if (after.clients !== null && after.clients !== sockets) {
    anomalies.push(`memory ${kind}: hub reports ${after.clients} clients, expected ${sockets}`);
  }
  const run: MemoryRun = {
    perSocket: (after.rss - before.rss) / sockets,
    before: before.rss,
    after: after.rss,
    sockets,
    clients: after.clients,
  };
  console.log(
    `  ${kind.padEnd(5)} ${kib(run.perSocket).padStart(10)}/socket  RSS ${mib(run.before)} -> ${mib(run.after)}` +
      `${run.clients === null ? "" : `  hub clients ${int.format(run.clients)}`}`,
  );
  return run;
}

async function benchMemory(databaseUrl: string, fixture: Fixture, sockets: number): Promise<MemoryPair> {
  const pair: MemoryPair = { name: `memory, ${int.format(sockets)} idle subscribed sockets`, hub: [], limit: [] };
  for (let run = 1; run <= RUNS; run += 1) {
    console.log(` run ${run}`);
    pair.hub.push(await memoryRun("hub", databaseUrl, fixture, sockets));
    pair.limit.push(await memoryRun("bare", databaseUrl, fixture, sockets));
  }
  return pair;
}

/** `ulimit -n` of this shell: each process holds one descriptor per socket. */
async function fdLimit(): Promise<number> {
  const text = await new Response(Bun.spawn(["sh", "-c", "ulimit -n"], { stdout: "pipe" }).stdout).text();
  const limit = Number.parseInt(text.trim(), 10);
  return Number.isFinite(limit) ? limit : 1024;
}

// ---------------------------------------------------------------------------------------------
// Output

const int = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const ms = (value: number) => `${value.toFixed(1)} ms`;
const cores = (value: number) => value.toFixed(2);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const med = (runs: Run[], pick: (r: Run) => number) => median(runs.map(pick));

function cpuText(runs: Run[]): string {
  return `cpu server ${cores(med(runs, (r) => r.serverCores))} subs ${cores(med(runs, (r) => r.subscriberCores))}`;
}

/** Busy cores that are neither the benchmark's processes nor its Postgres backends: someone else's. */
function outsideCores(run: Run): number {
  const ours = run.serverCores + run.subscriberCores + (run.loadCores ?? 0) + run.postgresCores;
  return Math.max(0, run.hostCores - ours);
}

/** What limited a throughput figure, from the medians of each process's busy cores. */
function bound(runs: Run[]): string {
  const subscribers = med(runs, (r) => r.subscriberCores);
  const server = med(runs, (r) => r.serverCores);
  const host = med(runs, (r) => r.hostCores);
  const machine = cpus().length;
  if (subscribers >= 0.85) return `the subscriber process (load generator, ${cores(subscribers)} of its one core)`;
  if (server >= 0.85) return `the server process (${cores(server)} cores)`;
  if (host >= machine * 0.9) return `the machine (${cores(host)} of ${machine} cores busy, Postgres included)`;
  return `no single process (subscribers ${cores(subscribers)}, server ${cores(server)}, host ${cores(host)} cores)`;
}

function throughputSummary(pair: Pair): string {
  const hub = med(pair.hub, (r) => r.perSecond);
  const limit = med(pair.limit, (r) => r.perSecond);
  return (
    `${pair.name}: hub ${int.format(hub)} deliveries/s (${cpuText(pair.hub)})` +
    ` | limit ${int.format(limit)} deliveries/s (${cpuText(pair.limit)}) | ratio ${(hub / limit).toFixed(2)}`
  );
}

/** When the subscribers are the bound, the server's CPU per delivery is what still compares the two. */
function serverCostLine(pair: Pair): string {
  const perMillion = (runs: Run[]) => med(runs, (r) => (r.serverCpuSeconds / r.deliveries) * 1e6);
  const hub = perMillion(pair.hub);
  const limit = perMillion(pair.limit);
  return (
    `  server CPU per 1M deliveries: hub ${hub.toFixed(2)} s | limit ${limit.toFixed(2)} s` +
    ` | ratio ${(hub / limit).toFixed(2)}`
  );
}

function latencySummary(pair: Pair): string {
  const side = (runs: Run[]) => ({ p50: med(runs, (r) => r.p50Ms), p99: med(runs, (r) => r.p99Ms) });
  const hub = side(pair.hub);
  const limit = side(pair.limit);
  return (
    `${pair.name}: hub p50 ${ms(hub.p50)} p99 ${ms(hub.p99)} | limit p50 ${ms(limit.p50)} p99 ${ms(limit.p99)}` +
    ` | ratio p50 ${(hub.p50 / limit.p50).toFixed(1)} p99 ${(hub.p99 / limit.p99).toFixed(1)}`
  );
}

function memorySummary(pair: MemoryPair): string {
  const hub = median(pair.hub.map((r) => r.perSocket));
  const limit = median(pair.limit.map((r) => r.perSocket));
  return `${pair.name}: hub ${kib(hub)}/socket | limit ${kib(limit)}/socket | ratio ${(hub / limit).toFixed(2)}`;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  const limit = await fdLimit();
  // Headroom for the runtime, the database pool and the listening socket.
  const memorySockets = Math.min(MEMORY_SOCKETS, (limit - 256) * MEMORY_PROCESSES, limit - 256);
  const databaseUrl = await prepareDatabase();
  const [load1] = loadavg();
  console.log(
    `database: ${new URL(databaseUrl).pathname.slice(1)}; fd limit (ulimit -n) ${limit}; ` +
      `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${load1?.toFixed(2)} at start`,
  );
  await runMigrations(databaseUrl);
  const monitor = connect(databaseUrl, { max: 1, applicationName: "tandem-bench-monitor" });
  cleanups.push(() => monitor.close());
  pgMonitor.handle = monitor;
  const backend = await startBackend(databaseUrl);
  const fixture = await seed(backend);
  const bareServer = startBareServer(BARE_TOPIC);
  cleanups.push(() => bareServer.stop(true));
  const bench: Bench = { backend, fixture, bare: bareServer, padTo: titleLength(fixture.orgId) };
  const sample = envelope(BENCH_EVENT, payload(now(), 0, bench.padTo), fixture.orgId, 10_000);
  const bareUrl = `ws://127.0.0.1:${bareServer.port}/`;
  console.log(
    `server: backend + bare Bun.serve in this process (pid ${process.pid}); subscribers: separate bun processes ` +
      `(${SUBSCRIBER_SCRIPT.split("/").pop()}); event message ${sample.length} bytes; ${RUNS} alternating runs; cpu in cores`,
  );

  console.log(
    `\nfan-out: ${int.format(FANOUT_SOCKETS)} sockets in one room, burst of ${int.format(BURST_EVENTS)} events`,
  );
  const hubMany = await startSubscribers(
    "hub subscribers",
    backend.wsUrl,
    FANOUT_SOCKETS,
    [fixture.orgId],
    fixture.cookie,
  );
  const bareMany = await startSubscribers("bare subscribers", bareUrl, FANOUT_SOCKETS, null, fixture.cookie);
  const fanout = await alternate(
    `fan-out ${int.format(FANOUT_SOCKETS)} subs x ${int.format(BURST_EVENTS)} events`,
    BURST_EVENTS,
    { hub: [hubMany, () => hubBurst(bench)], limit: [bareMany, () => bareBurst(bench)] },
    throughputLine,
  );

  console.log(
    `\nlatency: ${LATENCY_RATE} events/s (${LATENCY_EVENTS} per run); hub publish time = just before the ` +
      "append transaction starts, delivered via NOTIFY (a worker's path)",
  );
  const latencyMany = await alternate(
    `latency ${LATENCY_RATE}/s -> ${int.format(FANOUT_SOCKETS)} subs`,
    LATENCY_EVENTS,
    {
      hub: [hubMany, () => hubPaced(bench, LATENCY_RATE, LATENCY_EVENTS)],
      limit: [bareMany, () => barePaced(bench, LATENCY_RATE, LATENCY_EVENTS)],
    },
    latencyLine,
  );
  await Promise.all([hubMany.stop({ cmd: "exit" }), bareMany.stop({ cmd: "exit" })]);
  const hubFew = await startSubscribers("hub subscribers", backend.wsUrl, E2E_SOCKETS, [fixture.orgId], fixture.cookie);
  const bareFew = await startSubscribers("bare subscribers", bareUrl, E2E_SOCKETS, null, fixture.cookie);
  const latencyFew = await alternate(
    `latency ${LATENCY_RATE}/s -> ${int.format(E2E_SOCKETS)} subs`,
    LATENCY_EVENTS,
    {
      hub: [hubFew, () => hubPaced(bench, LATENCY_RATE, LATENCY_EVENTS)],
      limit: [bareFew, () => barePaced(bench, LATENCY_RATE, LATENCY_EVENTS)],
    },
    latencyLine,
  );

  console.log(
    `\nend to end: HTTP PATCH at ${E2E_RATE}/s (${E2E_MUTATIONS} per run, ${E2E_TASKS} tasks) from a patcher process ` +
      `-> commit -> event log -> ${E2E_SOCKETS} sockets; publish time = just before the request; ` +
      `limit = bare publish at ${E2E_RATE}/s`,
  );
  const patches: PatchStats = { messageBytes: [], p50Ms: [], p99Ms: [] };
  const patcher = await startPatcher(backend, fixture);
  const e2e = await alternate(
    `end to end PATCH ${E2E_RATE}/s -> ${int.format(E2E_SOCKETS)} subs`,
    E2E_MUTATIONS,
    {
      hub: [hubFew, () => httpPatches(patcher, patches)],
      limit: [bareFew, () => barePaced(bench, E2E_RATE, E2E_MUTATIONS)],
    },
    latencyLine,
  );
  console.log(`  hub UPDATE_TASK message for a PATCH: ${median(patches.messageBytes)} bytes (limit: ${sample.length})`);
  await Promise.all([hubFew.stop({ cmd: "exit" }), bareFew.stop({ cmd: "exit" }), patcher.stop({ cmd: "exit" })]);

  console.log(
    `\nmemory: server RSS per idle subscribed socket, fresh server process per run, ` +
      `${MEMORY_PROCESSES} subscriber processes, hub sockets over ${MEMORY_ROOMS} rooms` +
      `${memorySockets < MEMORY_SOCKETS ? ` (capped at ${memorySockets} by the fd limit)` : ""}`,
  );
  const memory = await benchMemory(databaseUrl, fixture, memorySockets);

  console.log(
    `\nmedians of ${RUNS} runs, ratio = hub / limit (${((performance.now() - started) / 1000).toFixed(0)} s total):`,
  );
  console.log(throughputSummary(fanout));
  console.log(`  bound: hub by ${bound(fanout.hub)}; limit by ${bound(fanout.limit)}`);
  console.log(serverCostLine(fanout));
  console.log(latencySummary(latencyFew));
  console.log(latencySummary(latencyMany));
  console.log(latencySummary(e2e));
  // Entry 0 of the PATCH stats is the warm-up run.
  console.log(
    `  of which the PATCH response: p50 ${ms(median(patches.p50Ms.slice(1)))} p99 ${ms(median(patches.p99Ms.slice(1)))};` +
      ` server process ${cores(med(e2e.hub, (r) => r.serverCores))} cores busy at ${E2E_RATE} PATCH/s` +
      ` (limit: ${cores(med(e2e.limit, (r) => r.serverCores))})`,
  );
  console.log(memorySummary(memory));
  const kept = [fanout, latencyFew, latencyMany, e2e].flatMap((pair) => [...pair.hub, ...pair.limit]);
  const busy = kept.filter((run) => outsideCores(run) > OUTSIDE_LIMIT).length;
  console.log(
    `machine: ${retries.used} runs discarded and repeated for over ${OUTSIDE_LIMIT} cores busy outside the benchmark` +
      `${busy > 0 ? `; ${busy} kept runs still busy (retries exhausted), their figures are disturbed` : ""}`,
  );
  if (anomalies.length > 0) {
    console.log("anomalies:");
    for (const anomaly of anomalies) console.log(`  ${anomaly}`);
  } else {
    console.log("every delivery arrived exactly once, in order, on every socket");
  }
}

process.on("SIGINT", () => {
  void runCleanups().finally(() => process.exit(130));
});

try {
  await main();
} finally {
  await runCleanups();
}
