import { cpus } from "node:os";

/** What the load generator subprocess is told to do (passed as JSON in argv). */
export type LoadConfig = {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /**
   * Optional write mix: every `every`-th request (over all workers) is a PATCH of one of
   * `tasks` (each PATCHed by one worker at a time, its version carried), instead of the GET.
   */
  writes?: { every: number; taskUrl: string; tasks: { id: string; version: number }[] };
};

/** One measured window: throughput, latency percentiles and who burned the CPU. */
export type Measurement = {
  requests: number;
  errors: number;
  firstError: string | null;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time / wall time, in cores, of the process serving (or running the insert loop). */
  serverCores: number;
  /** Same for the load generator; null when there is none (in-process insert loop). */
  loadCores: number | null;
  /** Whole-machine busy cores over the window: server + load + Postgres + noise. */
  hostCores: number;
  /** The write mix's PATCHes, when there is one (not counted in `requests`). */
  writes?: { count: number; p50Ms: number; p99Ms: number };
};

/** Nearest-rank percentile over ascending latencies. */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? Number.NaN;
  if (sorted.length % 2 === 1) return upper;
  return ((sorted[mid - 1] ?? Number.NaN) + upper) / 2;
}

/** Records per-request latencies and errors for one window. */
export class Recorder {
  private readonly latencies: number[] = [];
  errors = 0;
  firstError: string | null = null;

  record(ms: number): void {
    this.latencies.push(ms);
  }

  fail(message: string): void {
    this.errors += 1;
    this.firstError ??= message;
  }

  get count(): number {
    return this.latencies.length;
  }

  percentiles(): { p50Ms: number; p99Ms: number } {
    const sorted = Float64Array.from(this.latencies).sort();
    return { p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) };
  }
}

/** CPU seconds this process has used so far (user + system). */
export function processCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

export type HostCpu = { busy: number; total: number };

/** Cumulative machine-wide CPU ticks; deltas give busy cores, Postgres included. */
export function hostCpu(): HostCpu {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    busy += times.user + times.nice + times.sys + times.irq;
    total += times.user + times.nice + times.sys + times.irq + times.idle;
  }
  return { busy, total };
}

export function busyCores(from: HostCpu, to: HostCpu): number {
  const total = to.total - from.total;
  return total > 0 ? ((to.busy - from.busy) / total) * cpus().length : 0;
}
