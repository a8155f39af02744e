/** One measured window of the WebSocket benchmark: deliveries, latency and who used the CPU. */
import { readFileSync } from "node:fs";
import type { DbHandle } from "@tandem/database";
import { busyCores, hostCpu, processCpuSeconds } from "./stats.ts";
import { anomalies, int, type Subscribers } from "./ws-config.ts";
import { now, type WindowResult } from "./ws-protocol.ts";

export type Run = {
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
export type Publisher = (arm: () => Promise<void>) => Promise<{ t0: number; note?: string; loadCores?: number }>;

type Mark = { cpu: number; host: ReturnType<typeof hostCpu>; postgres: Map<number, number>; at: number };

export async function mark(): Promise<Mark> {
  const postgres = await postgresCpu();
  return { cpu: processCpuSeconds(), host: hostCpu(), postgres, at: now() };
}

// Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks.
const CLOCK_TICKS = 100;
/** A connection that lists the Postgres backends of the benchmark's database (set in main). */
export const pgMonitor: { handle: DbHandle | null } = { handle: null };

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

export async function measure(
  subscribers: Subscribers,
  label: string,
  events: number,
  publisher: Publisher,
): Promise<Run> {
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

export function problems(label: string, r: WindowResult): string[] {
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

/** Busy cores that are neither the benchmark's processes nor its Postgres backends: someone else's. */
export function outsideCores(run: Run): number {
  const ours = run.serverCores + run.subscriberCores + (run.loadCores ?? 0) + run.postgresCores;
  return Math.max(0, run.hostCores - ours);
}
