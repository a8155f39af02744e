/**
 * GitHub webhook benchmark against real Postgres: `bun run bench:webhooks`.
 *
 * Subject: the real worker (apps/worker startWorker) in this process, with a repository linked
 * to an org, so every delivery is verified, recorded, queued (pg-boss) and applied: issues
 * opened create tasks, issues edited update them, both through the domain with event log rows.
 * Baseline: a bare Bun.serve in this process that only verifies the signature with the same
 * @octokit/webhooks and answers 202: the floor of an acknowledgement on this machine.
 *
 * Load: a separate `bun` process (webhooks-load.ts) sends 50 signed `issues` deliveries/s for
 * 20 s, open loop, to each in turn, 3 alternating runs; medians are reported. Measured:
 *   - ack latency, request → 202, for both;
 *   - for the worker, the drain: first delivery sent → last delivery row `processed`, and
 *     jobs/s = deliveries / drain time (at most the offered 50/s when the worker keeps up).
 *     A run waits at most `--drain-budget` (20 s) after its last send; a slower worker's drain is
 *     projected from the rate it reached, and its leftover jobs are deleted (see DRAIN_BUDGET_MS).
 * The worker's reconcile job talks to a local GitHub API stub, so nothing leaves the machine.
 *
 * DATABASE_URL: use that database (the org, tasks and delivery rows are left behind).
 * Unset: create `tandem_bench_<timestamp>` on 127.0.0.1:5432 and drop it at the end.
 */
import { fileURLToPath } from "node:url";
import { connect, type DbHandle, schema } from "@tandem/database";
import { linkRepo } from "@tandem/domain";
import { createTestOrg, systemCtx, uniqueSuffix } from "@tandem/domain/testing";
import { DEV_ENCRYPTION_KEY } from "@tandem/util/server";
import type { Subprocess } from "bun";
import { loadWorkerEnv } from "../apps/worker/src/env.ts";
import { type RunningWorker, startWorker } from "../apps/worker/src/server.ts";
import { QUEUES } from "../packages/queue/src/index.ts";
import { cleanups, prepareDatabase, runCleanups } from "./lifecycle.ts";
import { busyCores, type HostCpu, hostCpu, median, processCpuSeconds } from "./stats.ts";
import type { WebhookLoadConfig, WebhookLoadResult } from "./webhooks-load.ts";
import { webhooksFor } from "./webhooks-octokit.ts";
import { lines } from "./ws-protocol.ts";

const RATE = 50;
const DURATION_S = 20;
const COUNT = RATE * DURATION_S;
const RUNS = 3;
/** Unmeasured deliveries to each server first: JIT, prepared statements, pg-boss's first fetches. */
const WARMUP_COUNT = 100;
/** Every 5th delivery edits an issue opened earlier in the run: 80% creates, 20% updates. */
const EDIT_EVERY = 5;
/** The backlog is checked this often once the load has stopped; the drain's end comes from `processed_at`, not from the poll. */
const POLL_MS = 100;
/**
 * How long after the last send a run waits for the backlog to empty. A worker slower than the
 * offered load would take minutes per run; past the budget, the rate it did reach is measured,
 * the full drain projected from it, and the rest of the backlog deleted so the next run starts
 * empty. `bun run bench:webhooks --drain-budget=600` waits for real drains.
 */
const DRAIN_BUDGET_MS = drainBudgetSeconds() * 1000;
const WARMUP_DRAIN_BUDGET_MS = 5_000;
const LOAD_SCRIPT = fileURLToPath(new URL("./webhooks-load.ts", import.meta.url));

/** `--drain-budget=<seconds>`, default 20: an argument, not an env var, so turbo's cache keys need not know it. */
function drainBudgetSeconds(): number {
  const arg = process.argv.find((value) => value.startsWith("--drain-budget="));
  const seconds = Number(arg?.slice("--drain-budget=".length) ?? 20);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`bad ${arg}`);
  return seconds;
}

// ---------------------------------------------------------------------------------------------
// Database, worker, baseline

/** The worker as apps/worker/src/index.ts boots it; `startWorker` also runs the migrations. */
async function startSubject(databaseUrl: string, githubApiUrl: string): Promise<RunningWorker> {
  const env = loadWorkerEnv({
    DATABASE_URL: databaseUrl,
    GITHUB_API_URL: githubApiUrl,
    PORT: "0",
    // Per-delivery info lines would be the benchmark's bottleneck.
    LOG_LEVEL: "warn",
  });
  const worker = await startWorker(env);
  cleanups.push(() => worker.stop());
  return worker;
}

/**
 * GitHub's REST API for the worker's reconcile job (it lists a linked repo's issues on its
 * schedule): answered locally with no issues, so the benchmark neither calls github.com nor
 * logs and retries failed calls where there is no network.
 */
function startGithubStub(): { url: string; calls: () => number } {
  let calls = 0;
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: (request) => {
      calls += 1;
      return request.method === "GET" ? Response.json([]) : Response.json({ message: "Not Found" }, { status: 404 });
    },
  });
  cleanups.push(() => server.stop(true));
  return { url: `http://127.0.0.1:${server.port}`, calls: () => calls };
}

/** An org linking a repository of its own, as apps/worker/test/harness.ts `linkedOrg` does: deliveries go to the link's URL, signed with its secret. */
async function linkedOrg(
  handle: DbHandle,
): Promise<{ orgId: string; repoName: string; linkId: string; secret: string }> {
  const userId = `usr_${uniqueSuffix()}`;
  await handle.db.insert(schema.user).values({ id: userId, name: "Bench owner", email: `${userId}@example.test` });
  const org = await createTestOrg(handle.db, { ownerId: userId, prefix: "GH", name: "Bench webhooks" });
  const ctx = await systemCtx(handle.db, org.id);
  const repoName = `octo/bench-${uniqueSuffix()}`;
  const link = await linkRepo({
    ctx,
    input: {
      fullName: repoName,
      config: {
        encryptionKey: DEV_ENCRYPTION_KEY,
        webhookBaseUrl: "http://127.0.0.1",
        api: {
          repoAccess: async () => ({ ok: false, reason: "denied" }),
          installation: null,
          userInstallations: async () => ({ ok: false, reason: "denied" }),
        },
      },
    },
  });
  return { orgId: org.id, repoName, linkId: link.id, secret: link.webhookSecret };
}

/** Verify with the same library as the worker, answer 202: the receive path minus Hono, Postgres and the queue. */
async function startBaseline(secret: string): Promise<ReturnType<typeof Bun.serve>> {
  const webhooks = await webhooksFor(secret);
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: async (request) => {
      const raw = await request.text();
      const signature = request.headers.get("x-hub-signature-256") ?? "";
      const valid = signature !== "" && (await webhooks.verify(raw, signature).catch(() => false));
      if (!valid) return Response.json({ error: { code: "UNAUTHORIZED" } }, { status: 401 });
      const deliveryId = request.headers.get("x-github-delivery") ?? "";
      return Response.json({ status: "queued", deliveryId }, { status: 202 });
    },
  });
  cleanups.push(() => server.stop(true));
  return server;
}

// ---------------------------------------------------------------------------------------------
// Measuring

type Window = { cpu: number; host: HostCpu; at: number };
const openWindow = (): Window => ({ cpu: processCpuSeconds(), host: hostCpu(), at: performance.now() });

/** Server-side CPU (this process: the worker, or the baseline) and whole-host busy cores since `from`. */
function closeWindow(from: Window): { serverCores: number; hostCores: number; seconds: number } {
  const seconds = (performance.now() - from.at) / 1000;
  return {
    serverCores: (processCpuSeconds() - from.cpu) / seconds,
    hostCores: busyCores(from.host, hostCpu()),
    seconds,
  };
}

/** The load generator currently sending, killed first on Ctrl-C so it stops hitting a stopping worker. */
let running: Subprocess | null = null;

/** Runs one load subprocess; the window opens when it starts sending. */
async function sendLoad(config: WebhookLoadConfig): Promise<{ result: WebhookLoadResult; window: Window }> {
  const child = Bun.spawn(["bun", LOAD_SCRIPT, JSON.stringify(config)], { stdout: "pipe", stderr: "inherit" });
  running = child;
  let window: Window | null = null;
  let result: WebhookLoadResult | null = null;
  for await (const line of lines(child.stdout)) {
    if (line === "start") window = openWindow();
    else if (line.trim()) result = JSON.parse(line) as WebhookLoadResult;
  }
  const code = await child.exited;
  running = null;
  if (code !== 0 || !result || !window) throw new Error(`load generator failed (exit ${code})`);
  if (result.errors > 0)
    throw new Error(`${config.tag}: ${result.errors} failed deliveries, first: ${result.firstError}`);
  return { result, window };
}

type Backlog = {
  rows: number;
  queued: number;
  processed: number;
  lastProcessedAt: number | null;
  applyP50Ms: number | null;
  applyP99Ms: number | null;
};

/** This run's delivery rows (found by their id prefix) and how far the worker got with them. */
async function backlog(handle: DbHandle, tag: string): Promise<Backlog> {
  // Epochs as float8: postgres.js returns numeric as strings.
  const [row] = await handle.sql<Backlog[]>`
    select count(*)::int as rows,
      (count(*) filter (where status = 'queued'))::int as queued,
      (count(*) filter (where status = 'processed'))::int as processed,
      (extract(epoch from max(processed_at)) * 1000)::float8 as "lastProcessedAt",
      (percentile_disc(0.5) within group (order by extract(epoch from processed_at - received_at) * 1000))::float8 as "applyP50Ms",
      (percentile_disc(0.99) within group (order by extract(epoch from processed_at - received_at) * 1000))::float8 as "applyP99Ms"
    from webhook_delivery where id like ${`${tag}-%`}`;
  if (!row) throw new Error("backlog query returned no row");
  return row;
}

/** Polls until every delivery of the run has left 'queued', or `budgetMs` has passed. */
async function drain(handle: DbHandle, tag: string, count: number, budgetMs: number): Promise<Backlog> {
  const deadline = performance.now() + budgetMs;
  for (;;) {
    const state = await backlog(handle, tag);
    if (state.rows !== count)
      throw new Error(`${tag}: ${state.rows} delivery rows for ${count} acknowledged deliveries`);
    if (state.queued === 0 || performance.now() > deadline) return state;
    await Bun.sleep(POLL_MS);
  }
}

async function orgCounts(handle: DbHandle, orgId: string): Promise<{ tasks: number; events: number }> {
  const [row] = await handle.sql<{ tasks: number; events: number }[]>`
    select (select count(*) from task where org_id = ${orgId})::int as tasks,
           (select count(*) from event where org_id = ${orgId})::int as events`;
  return row ?? { tasks: 0, events: 0 };
}

type AckRun = { load: WebhookLoadResult; serverCores: number; hostCores: number };
type SubjectRun = AckRun & {
  /** False when the budget ran out: drainS is then projected from jobsPerSecond. */
  drained: boolean;
  drainS: number;
  /** Last delivery sent → backlog empty (NaN when not drained). */
  tailS: number;
  /** Deliveries still queued when the budget ran out. */
  leftQueued: number;
  /** Deliveries applied per second from the first send to the last `processed_at`. */
  jobsPerSecond: number;
  applyP50Ms: number;
  applyP99Ms: number;
  tasks: number;
  events: number;
};

type Setup = {
  worker: RunningWorker;
  handle: DbHandle;
  orgId: string;
  repoName: string;
  secret: string;
  workerUrl: string;
  baselineUrl: string;
};
let nextIssue = 1;

function loadConfig(setup: Setup, url: string, tag: string, count: number): WebhookLoadConfig {
  const firstNumber = nextIssue;
  nextIssue += count;
  return {
    url,
    secret: setup.secret,
    repoName: setup.repoName,
    rate: RATE,
    count,
    firstNumber,
    editEvery: EDIT_EVERY,
    tag,
  };
}

async function runSubject(setup: Setup, tag: string, count: number, budgetMs: number): Promise<SubjectRun> {
  const before = await orgCounts(setup.handle, setup.orgId);
  const { result, window } = await sendLoad(loadConfig(setup, setup.workerUrl, tag, count));
  const state = await drain(setup.handle, tag, count, budgetMs);
  // The CPU window includes the drain: that is when the worker does the applying.
  const cpu = closeWindow(window);
  if (state.queued > 0) {
    // Left queued, these would be applied during the next runs and skew them (the baseline
    // shares this process). Their delivery rows stay 'queued'; runs only count their own tag.
    await setup.worker.queue.deleteQueuedJobs(QUEUES.githubEvent);
  }
  const after = await orgCounts(setup.handle, setup.orgId);
  if (state.processed + state.queued !== count || state.lastProcessedAt === null) {
    throw new Error(
      `${tag}: ${state.processed} processed + ${state.queued} queued of ${count} (others ignored/failed)`,
    );
  }
  const appliedS = (state.lastProcessedAt - result.firstSentAt) / 1000;
  const jobsPerSecond = state.processed / appliedS;
  const drained = state.queued === 0;
  return {
    load: result,
    serverCores: cpu.serverCores,
    hostCores: cpu.hostCores,
    drained,
    drainS: drained ? appliedS : count / jobsPerSecond,
    tailS: drained ? (state.lastProcessedAt - result.lastSentAt) / 1000 : Number.NaN,
    leftQueued: state.queued,
    jobsPerSecond,
    applyP50Ms: state.applyP50Ms ?? Number.NaN,
    applyP99Ms: state.applyP99Ms ?? Number.NaN,
    tasks: after.tasks - before.tasks,
    events: after.events - before.events,
  };
}

async function runBaseline(setup: Setup, tag: string, count: number): Promise<AckRun> {
  const { result, window } = await sendLoad(loadConfig(setup, setup.baselineUrl, tag, count));
  const cpu = closeWindow(window);
  return { load: result, serverCores: cpu.serverCores, hostCores: cpu.hostCores };
}

// ---------------------------------------------------------------------------------------------
// Output

const ms = (value: number) => `${value.toFixed(1)} ms`;
const fixed = (value: number, digits = 2) => value.toFixed(digits);

function ackText(run: AckRun): string {
  const { load } = run;
  return (
    `ack p50 ${ms(load.p50Ms).padStart(8)} p99 ${ms(load.p99Ms).padStart(8)} max ${ms(load.maxMs).padStart(8)}` +
    `  n=${load.requests}  send lag max ${ms(load.maxLagMs)}`
  );
}

function cpuText(run: AckRun): string {
  return `cpu: server ${fixed(run.serverCores)} load ${fixed(run.load.cpuCores)} host ${fixed(run.hostCores)}`;
}

function drainText(run: SubjectRun): string {
  if (run.drained) return `drain ${fixed(run.drainS)} s (tail ${fixed(run.tailS)} s)`;
  return `NOT drained: ${run.leftQueued} queued ${DRAIN_BUDGET_MS / 1000} s after the last send, projected drain ${fixed(run.drainS, 0)} s`;
}

function reportSubject(label: string, run: SubjectRun): SubjectRun {
  console.log(
    `${label} ${ackText(run)}\n${" ".repeat(label.length)} ${drainText(run)}` +
      ` ${fixed(run.jobsPerSecond, 1)} jobs/s  apply p50 ${ms(run.applyP50Ms)} p99 ${ms(run.applyP99Ms)}` +
      `  +${run.tasks} tasks +${run.events} events  ${cpuText(run)}`,
  );
  return run;
}

function reportBaseline(label: string, run: AckRun): AckRun {
  console.log(`${label} ${ackText(run)}  ${cpuText(run)}`);
  return run;
}

function summary(subject: SubjectRun[], baseline: AckRun[], totalS: number): void {
  const med = <T>(runs: T[], pick: (run: T) => number) => median(runs.map(pick));
  const rows: [string, string, string, string][] = [];
  const add = (name: string, worker: string, bare: string, ratio: string) => rows.push([name, worker, bare, ratio]);
  const ack = (name: string, pick: (run: AckRun) => number) => {
    const w = med(subject, pick);
    const b = med(baseline, pick);
    add(name, ms(w), ms(b), `${fixed(w / b)}x`);
  };
  ack("ack p50", (run) => run.load.p50Ms);
  ack("ack p99", (run) => run.load.p99Ms);
  const acks = (run: AckRun) => run.load.requests / run.load.seconds;
  add("acks/s (offered 50/s)", fixed(med(subject, acks), 1), fixed(med(baseline, acks), 1), "");
  const jobs = med(subject, (run) => run.jobsPerSecond);
  const allDrained = subject.every((run) => run.drained);
  const drainName = allDrained
    ? "drain time"
    : `drain time (projected${subject.some((r) => r.drained) ? " in some runs" : ""})`;
  add(
    `${drainName}, ${COUNT} deliveries`,
    `${fixed(
      med(subject, (run) => run.drainS),
      1,
    )} s`,
    "-",
    "",
  );
  if (allDrained) add("drain tail after last send", `${fixed(med(subject, (run) => run.tailS))} s`, "-", "");
  else
    add(
      `still queued ${DRAIN_BUDGET_MS / 1000} s after last send`,
      fixed(
        med(subject, (run) => run.leftQueued),
        0,
      ),
      "-",
      "",
    );
  add("jobs/s (applied deliveries / s)", fixed(jobs, 1), "-", `${fixed(jobs / RATE)} of offered`);
  add("apply p50 (received→processed)", ms(med(subject, (run) => run.applyP50Ms)), "-", "");
  add("apply p99 (received→processed)", ms(med(subject, (run) => run.applyP99Ms)), "-", "");
  const cores = (name: string, pick: (run: AckRun) => number) => {
    const w = med(subject, pick);
    const b = med(baseline, pick);
    add(name, fixed(w), fixed(b), `${fixed(w / b, 1)}x`);
  };
  cores("cpu server process (cores)", (run) => run.serverCores);
  cores("cpu load generator (cores)", (run) => run.load.cpuCores);
  cores("cpu host, incl. Postgres (cores)", (run) => run.hostCores);
  const header: [string, string, string, string] = ["", "worker", "bare verify", "worker/bare"];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...[header, ...rows].map((row) => (row[i] ?? "").length)));
  const format = (row: string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
  console.log(`\nmedians of ${RUNS} runs, ${COUNT} deliveries at ${RATE}/s each (${totalS.toFixed(0)} s total):`);
  console.log(format(header));
  for (const row of rows) console.log(format(row));
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  const databaseUrl = await prepareDatabase();
  console.log(`database: ${new URL(databaseUrl).pathname.slice(1)}`);
  const github = startGithubStub();
  const worker = await startSubject(databaseUrl, github.url);
  const handle = connect(databaseUrl, { max: 2, applicationName: "tandem-bench-webhooks" });
  cleanups.push(() => handle.close());
  const { orgId, repoName, linkId, secret } = await linkedOrg(handle);
  const baseline = await startBaseline(secret);
  // 127.0.0.1 for both: the worker listens on 0.0.0.0, and `localhost` may try ::1 first.
  const workerUrl = new URL(`/webhooks/github/${linkId}`, worker.url);
  workerUrl.hostname = "127.0.0.1";
  const setup: Setup = {
    worker,
    handle,
    orgId,
    repoName,
    secret,
    workerUrl: workerUrl.toString(),
    baselineUrl: `http://127.0.0.1:${baseline.port}/webhooks/github`,
  };
  console.log(
    `worker: in this process (startWorker), repo ${repoName} linked; baseline: bare Bun.serve + @octokit/webhooks verify, in this process\n` +
      `load: separate bun subprocess (${LOAD_SCRIPT.split("/").pop()}), open loop ${RATE}/s for ${DURATION_S} s, ` +
      `signed issues deliveries (1 in ${EDIT_EVERY} edited), ${RUNS} alternating runs; cpu in cores`,
  );

  const warm = await runSubject(setup, "warm-w", WARMUP_COUNT, WARMUP_DRAIN_BUDGET_MS);
  await runBaseline(setup, "warm-b", WARMUP_COUNT);
  console.log(
    `warm-up: ${WARMUP_COUNT} deliveries to each (unmeasured), ${Math.round(warm.load.meanBodyBytes)} bytes per body`,
  );

  const subject: SubjectRun[] = [];
  const bare: AckRun[] = [];
  for (let run = 1; run <= RUNS; run += 1) {
    subject.push(reportSubject(`  run ${run} worker`, await runSubject(setup, `run${run}-w`, COUNT, DRAIN_BUDGET_MS)));
    bare.push(reportBaseline(`  run ${run} bare  `, await runBaseline(setup, `run${run}-b`, COUNT)));
  }
  summary(subject, bare, (performance.now() - started) / 1000);
  console.log(`(GitHub API stub answered ${github.calls()} calls from the worker's reconcile job)`);
}

process.on("SIGINT", () => {
  running?.kill();
  void runCleanups().finally(() => process.exit(130));
});

try {
  await main();
} finally {
  await runCleanups();
}
