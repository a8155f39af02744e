/** One webhook run measured: the load subprocess, CPU windows, and the backlog the worker drains. */
import type { DbHandle } from "@tandem/database";
import type { Subprocess } from "bun";
import { busyCores, type HostCpu, hostCpu, processCpuSeconds } from "./stats.ts";
import { LOAD_SCRIPT, POLL_MS } from "./webhooks-config.ts";
import type { WebhookLoadConfig, WebhookLoadResult } from "./webhooks-load.ts";
import { lines } from "./ws-protocol.ts";

type Window = { cpu: number; host: HostCpu; at: number };
const openWindow = (): Window => ({ cpu: processCpuSeconds(), host: hostCpu(), at: performance.now() });

/** Server-side CPU (this process: the worker, or the baseline) and whole-host busy cores since `from`. */
export function closeWindow(from: Window): { serverCores: number; hostCores: number; seconds: number } {
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
export async function sendLoad(config: WebhookLoadConfig): Promise<{ result: WebhookLoadResult; window: Window }> {
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
export async function backlog(handle: DbHandle, tag: string): Promise<Backlog> {
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
export async function drain(handle: DbHandle, tag: string, count: number, budgetMs: number): Promise<Backlog> {
  const deadline = performance.now() + budgetMs;
  for (;;) {
    const state = await backlog(handle, tag);
    if (state.rows !== count)
      throw new Error(`${tag}: ${state.rows} delivery rows for ${count} acknowledged deliveries`);
    if (state.queued === 0 || performance.now() > deadline) return state;
    await Bun.sleep(POLL_MS);
  }
}

export async function orgCounts(handle: DbHandle, orgId: string): Promise<{ tasks: number; events: number }> {
  const [row] = await handle.sql<{ tasks: number; events: number }[]>`
    select (select count(*) from task where org_id = ${orgId})::int as tasks,
           (select count(*) from event where org_id = ${orgId})::int as events`;
  return row ?? { tasks: 0, events: 0 };
}

export type AckRun = { load: WebhookLoadResult; serverCores: number; hostCores: number };
export type SubjectRun = AckRun & {
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

/** Kills the load generator currently sending, if any (Ctrl-C). */
export function stopLoad(): void {
  running?.kill();
}

/** How fast a backlog went: deliveries applied after `afterMs` (epoch ms) and the span they took. */
export async function drainedAfter(
  handle: DbHandle,
  tag: string,
  afterMs: number,
): Promise<{ applied: number; lastMs: number | null }> {
  const [row] = await handle.sql<{ applied: number; lastMs: number | null }[]>`
    select (count(*) filter (where processed_at > to_timestamp(${afterMs / 1000})))::int as applied,
           (extract(epoch from max(processed_at)) * 1000)::float8 as "lastMs"
      from webhook_delivery where id like ${`${tag}-%`} and status = 'processed'`;
  return row ?? { applied: 0, lastMs: null };
}

/** pg-boss jobs of a queue that were retried, and of them those whose last error was a unique violation. */
export async function retriedJobs(
  handle: DbHandle,
  queue: string,
): Promise<{ retried: number; unique: number } | null> {
  try {
    const [row] = await handle.sql<{ retried: number; unique: number }[]>`
      select (count(*) filter (where retry_count > 0))::int as retried,
             (count(*) filter (where retry_count > 0 and output::text ilike '%unique%'))::int as unique
        from pgboss.job where name = ${queue}`;
    return row ?? null;
  } catch {
    // Another pg-boss schema layout: not counted rather than failing the benchmark.
    return null;
  }
}
