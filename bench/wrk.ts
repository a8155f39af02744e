/**
 * `wrk` (Debian package `wrk`) as the load generator of a limit: a C client on its own threads,
 * so the limit is not bounded by a Bun fetch loop (which understated a bare Bun.serve ~1.5x).
 */
import { busyCores, hostCpu, type Measurement, processCpuSeconds } from "./stats.ts";

export type WrkConfig = { url: string; connections: number; threads: number; warmupMs: number; durationMs: number };

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function latencyMs(text: string, percent: string): number {
  const match = new RegExp(`^\\s*${percent}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, "m").exec(text);
  if (!match?.[1] || !match[2]) throw new Error(`wrk output has no ${percent}% latency:\n${text}`);
  return Number(match[1]) * (UNIT_MS[match[2]] ?? Number.NaN);
}

async function wrk(config: WrkConfig, durationMs: number): Promise<{ text: string; cpuSeconds: number }> {
  const args = [
    "wrk",
    `-t${config.threads}`,
    `-c${config.connections}`,
    `-d${Math.max(1, Math.round(durationMs / 1000))}s`,
    "--latency",
    config.url,
  ];
  const child = Bun.spawn(args, { stdout: "pipe", stderr: "pipe" });
  const [text, err, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  if (code !== 0) throw new Error(`wrk exited with ${code}: ${err}${text}`);
  const usage = child.resourceUsage();
  const cpuSeconds = usage ? Number(usage.cpuTime.total) / 1e6 : Number.NaN;
  return { text, cpuSeconds };
}

/**
 * A warm-up run, then the measured one. The server runs in this process, so its CPU is this
 * process's over the measured run; wrk's own CPU comes from its resource usage.
 */
export async function wrkLoad(config: WrkConfig): Promise<Measurement> {
  await wrk(config, config.warmupMs);
  const cpuFrom = processCpuSeconds();
  const hostFrom = hostCpu();
  const wallFrom = performance.now();
  const { text, cpuSeconds } = await wrk(config, config.durationMs);
  const seconds = (performance.now() - wallFrom) / 1000;
  const total = /(\d+) requests in ([\d.]+)(s|ms|m)/.exec(text);
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(text);
  if (!total?.[1] || !rate?.[1]) throw new Error(`unexpected wrk output:\n${text}`);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  const errors = non2xx + socketErrors;
  return {
    requests: Number(total[1]),
    errors,
    firstError: errors > 0 ? `wrk: ${non2xx} non-2xx, socket errors ${socket?.[0] ?? "-"}` : null,
    seconds,
    perSecond: Number(rate[1]),
    p50Ms: latencyMs(text, "50"),
    p99Ms: latencyMs(text, "99"),
    serverCores: (processCpuSeconds() - cpuFrom) / seconds,
    loadCores: cpuSeconds / seconds,
    hostCores: busyCores(hostFrom, hostCpu()),
  };
}
