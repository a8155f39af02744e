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
 *     projected from the rate it reached, and its leftover jobs are deleted (see DRAIN_BUDGET_MS
 *     in webhooks-config.ts).
 * Then capacity: a backlog of 2,000 deliveries sent as fast as the ack path takes them, drained
 * as fast as the worker goes: jobs/s measured after the last ack (only applying), and the pg-boss
 * jobs retried (unique violations among them). The goals table compares with issue 16.
 * The worker's reconcile job talks to a local GitHub API stub, so nothing leaves the machine.
 *
 * DATABASE_URL: use that database (the org, tasks and delivery rows are left behind).
 * Unset: create `tandem_bench_<timestamp>` on 127.0.0.1:5432 and drop it at the end.
 */
import { connect, type DbHandle } from "@tandem/database";
import type { RunningWorker } from "../apps/worker/src/server.ts";
import { QUEUES } from "../packages/queue/src/index.ts";
import { printGoals } from "./goals.ts";
import { cleanups, prepareDatabase, runCleanups } from "./lifecycle.ts";
import { median } from "./stats.ts";
import {
  BACKLOG_BUDGET_MS,
  BACKLOG_COUNT,
  BACKLOG_RATE,
  COUNT,
  DRAIN_BUDGET_MS,
  DURATION_S,
  EDIT_EVERY,
  LOAD_SCRIPT,
  RATE,
  RUNS,
  WARMUP_COUNT,
  WARMUP_DRAIN_BUDGET_MS,
} from "./webhooks-config.ts";
import type { WebhookLoadConfig } from "./webhooks-load.ts";
import {
  type AckRun,
  closeWindow,
  drain,
  drainedAfter,
  orgCounts,
  retriedJobs,
  type SubjectRun,
  sendLoad,
  stopLoad,
} from "./webhooks-measure.ts";
import { reportBaseline, reportSubject, summary } from "./webhooks-report.ts";
import { linkedOrg, startBaseline, startGithubStub, startSubject } from "./webhooks-servers.ts";

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

function loadConfig(setup: Setup, url: string, tag: string, count: number, rate = RATE): WebhookLoadConfig {
  const firstNumber = nextIssue;
  nextIssue += count;
  return {
    url,
    secret: setup.secret,
    repoName: setup.repoName,
    rate,
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

type BacklogRun = {
  sent: number;
  sendS: number;
  /** Deliveries still to apply when the last ack came back, and how fast they then went. */
  backlogAtLastAck: number;
  drainJobsPerSecond: number;
  overallJobsPerSecond: number;
  drained: boolean;
  retries: { retried: number; unique: number } | null;
};

async function runBacklog(setup: Setup): Promise<BacklogRun> {
  const tag = "backlog";
  const { result } = await sendLoad(loadConfig(setup, setup.workerUrl, tag, BACKLOG_COUNT, BACKLOG_RATE));
  const state = await drain(setup.handle, tag, BACKLOG_COUNT, BACKLOG_BUDGET_MS);
  const after = await drainedAfter(setup.handle, tag, result.lastAckAt);
  if (state.queued > 0) await setup.worker.queue.deleteQueuedJobs(QUEUES.githubEvent);
  const lastMs = after.lastMs ?? result.lastAckAt;
  return {
    sent: result.requests,
    sendS: (result.lastAckAt - result.firstSentAt) / 1000,
    backlogAtLastAck: after.applied + state.queued,
    drainJobsPerSecond: after.applied / ((lastMs - result.lastAckAt) / 1000),
    overallJobsPerSecond: state.processed / ((lastMs - result.firstSentAt) / 1000),
    drained: state.queued === 0,
    retries: await retriedJobs(setup.handle, QUEUES.githubEvent),
  };
}

function goals(subject: SubjectRun[], backlog: BacklogRun): void {
  const apply = median(subject.map((run) => run.applyP50Ms));
  const unique = backlog.retries?.unique;
  printGoals("goals (issue 16); the machine was shared with other work:", [
    {
      name: `webhook backlog of ${BACKLOG_COUNT}: jobs/s after the last ack`,
      figure: `${backlog.drainJobsPerSecond.toFixed(1)} jobs/s`,
      limit: "-",
      ratio: null,
      goal: ">= 300 jobs/s",
      pass: backlog.drained && backlog.drainJobsPerSecond >= 300,
    },
    {
      name: "  retries from unique violations",
      figure: unique === undefined ? "n/a" : `${unique} (of ${backlog.retries?.retried} retried)`,
      limit: "-",
      ratio: null,
      goal: "0",
      pass: unique === undefined ? null : unique === 0,
    },
    {
      name: `apply p50 at ${RATE}/s (received -> processed, median of ${RUNS})`,
      figure: `${apply.toFixed(1)} ms`,
      limit: "-",
      ratio: null,
      goal: "< 100 ms",
      pass: apply < 100,
    },
  ]);
}

async function runBaseline(setup: Setup, tag: string, count: number): Promise<AckRun> {
  const { result, window } = await sendLoad(loadConfig(setup, setup.baselineUrl, tag, count));
  const cpu = closeWindow(window);
  return { load: result, serverCores: cpu.serverCores, hostCores: cpu.hostCores };
}

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
  console.log(
    `\nbacklog: ${BACKLOG_COUNT} deliveries sent open loop at up to ${BACKLOG_RATE}/s, then drained as fast as the worker goes`,
  );
  const backlog = await runBacklog(setup);
  console.log(
    `  ${backlog.sent} acked in ${backlog.sendS.toFixed(1)} s; ${backlog.backlogAtLastAck} still to apply at the last ack, ` +
      `applied at ${backlog.drainJobsPerSecond.toFixed(1)} jobs/s after it (${backlog.overallJobsPerSecond.toFixed(1)} jobs/s ` +
      `from the first send)${backlog.drained ? "" : `; NOT drained within ${BACKLOG_BUDGET_MS / 1000} s`}; ` +
      `pg-boss jobs retried: ${backlog.retries ? `${backlog.retries.retried} (unique violations ${backlog.retries.unique})` : "n/a"}`,
  );
  goals(subject, backlog);
  console.log(`(GitHub API stub answered ${github.calls()} calls from the worker's reconcile job)`);
}

process.on("SIGINT", () => {
  stopLoad();
  void runCleanups().finally(() => process.exit(130));
});

try {
  await main();
} finally {
  await runCleanups();
}
