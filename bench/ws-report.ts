/** The WebSocket benchmark's per-run lines and summaries. */
import { cpus } from "node:os";
import { median } from "./stats.ts";
import { cores, int, kib, ms } from "./ws-config.ts";
import type { Run } from "./ws-measure.ts";
import type { MemoryPair } from "./ws-memory.ts";

export type Pair = { name: string; hub: Run[]; limit: Run[] };

export const throughputLine = (r: Run) =>
  `${int.format(r.perSecond).padStart(10)} deliveries/s  last at ${ms(r.seconds * 1000)}`;
export const latencyLine = (r: Run) => `p50 ${ms(r.p50Ms).padStart(8)}  p99 ${ms(r.p99Ms).padStart(8)}`;

export const med = (runs: Run[], pick: (r: Run) => number) => median(runs.map(pick));

function cpuText(runs: Run[]): string {
  return `cpu server ${cores(med(runs, (r) => r.serverCores))} subs ${cores(med(runs, (r) => r.subscriberCores))}`;
}

/** What limited a throughput figure, from the medians of each process's busy cores. */
export function bound(runs: Run[]): string {
  const subscribers = med(runs, (r) => r.subscriberCores);
  const server = med(runs, (r) => r.serverCores);
  const host = med(runs, (r) => r.hostCores);
  const machine = cpus().length;
  if (subscribers >= 0.85) return `the subscriber process (load generator, ${cores(subscribers)} of its one core)`;
  if (server >= 0.85) return `the server process (${cores(server)} cores)`;
  if (host >= machine * 0.9) return `the machine (${cores(host)} of ${machine} cores busy, Postgres included)`;
  return `no single process (subscribers ${cores(subscribers)}, server ${cores(server)}, host ${cores(host)} cores)`;
}

export function throughputSummary(pair: Pair): string {
  const hub = med(pair.hub, (r) => r.perSecond);
  const limit = med(pair.limit, (r) => r.perSecond);
  return (
    `${pair.name}: hub ${int.format(hub)} deliveries/s (${cpuText(pair.hub)})` +
    ` | limit ${int.format(limit)} deliveries/s (${cpuText(pair.limit)}) | ratio ${(hub / limit).toFixed(2)}`
  );
}

/** When the subscribers are the bound, the server's CPU per delivery is what still compares the two. */
export function serverCostLine(pair: Pair): string {
  const perMillion = (runs: Run[]) => med(runs, (r) => (r.serverCpuSeconds / r.deliveries) * 1e6);
  const hub = perMillion(pair.hub);
  const limit = perMillion(pair.limit);
  return (
    `  server CPU per 1M deliveries: hub ${hub.toFixed(2)} s | limit ${limit.toFixed(2)} s` +
    ` | ratio ${(hub / limit).toFixed(2)}`
  );
}

export function latencySummary(pair: Pair): string {
  const side = (runs: Run[]) => ({ p50: med(runs, (r) => r.p50Ms), p99: med(runs, (r) => r.p99Ms) });
  const hub = side(pair.hub);
  const limit = side(pair.limit);
  return (
    `${pair.name}: hub p50 ${ms(hub.p50)} p99 ${ms(hub.p99)} | limit p50 ${ms(limit.p50)} p99 ${ms(limit.p99)}` +
    ` | ratio p50 ${(hub.p50 / limit.p50).toFixed(1)} p99 ${(hub.p99 / limit.p99).toFixed(1)}`
  );
}

export function memorySummary(pair: MemoryPair): string {
  const hub = median(pair.hub.map((r) => r.perSocket));
  const limit = median(pair.limit.map((r) => r.perSocket));
  return `${pair.name}: hub ${kib(hub)}/socket | limit ${kib(limit)}/socket | ratio ${(hub / limit).toFixed(2)}`;
}
