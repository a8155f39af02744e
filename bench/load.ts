/**
 * Closed-loop HTTP load generator, run as its own `bun` process so its CPU does not come out
 * of the server's event loop. `concurrency` workers each keep one request in flight.
 *
 * Protocol on stdout: a line `start` when the measured window opens (after warm-up), then one
 * JSON line of type LoadResult. Everything else goes to stderr.
 */
import { type LoadConfig, processCpuSeconds, Recorder } from "./stats.ts";

export type LoadResult = {
  requests: number;
  errors: number;
  firstError: string | null;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  cpuCores: number;
};

function parseConfig(): LoadConfig {
  const raw = process.argv[2];
  if (!raw) throw new Error("usage: bun bench/load.ts '<LoadConfig JSON>'");
  return JSON.parse(raw) as LoadConfig;
}

async function once(config: LoadConfig): Promise<string | null> {
  const response = await fetch(config.url, { method: config.method, headers: config.headers, body: config.body });
  // Read the whole body: the server has not finished the request until it is sent.
  const body = await response.arrayBuffer();
  if (response.ok) return null;
  return `${response.status} ${new TextDecoder().decode(body.slice(0, 200))}`;
}

/** Requests started before `measureFrom` are warm-up: sent, not recorded. */
async function worker(config: LoadConfig, measureFrom: number, deadline: number, recorder: Recorder): Promise<void> {
  for (let started = performance.now(); started < deadline; started = performance.now()) {
    const error = await once(config).catch((cause: unknown) => String(cause));
    if (started < measureFrom) continue;
    if (error) recorder.fail(error);
    else recorder.record(performance.now() - started);
  }
}

async function main(): Promise<void> {
  const config = parseConfig();
  const recorder = new Recorder();
  const begin = performance.now();
  const measureFrom = begin + config.warmupMs;
  const deadline = measureFrom + config.durationMs;
  const workers = Array.from({ length: config.concurrency }, () => worker(config, measureFrom, deadline, recorder));

  await Bun.sleep(Math.max(0, measureFrom - performance.now()));
  process.stdout.write("start\n");
  const cpuFrom = processCpuSeconds();
  const wallFrom = performance.now();
  await Promise.all(workers);
  // Requests in flight at the deadline still count, so the window ends when the last one lands.
  const seconds = (performance.now() - wallFrom) / 1000;
  const result: LoadResult = {
    requests: recorder.count,
    errors: recorder.errors,
    firstError: recorder.firstError,
    seconds,
    ...recorder.percentiles(),
    cpuCores: (processCpuSeconds() - cpuFrom) / seconds,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
