/** How `bench:api` puts load on a subject: the load subprocess over HTTP, or a loop in this process. */
import { fileURLToPath } from "node:url";
import type { LoadResult } from "./load.ts";
import { busyCores, hostCpu, type LoadConfig, type Measurement, processCpuSeconds, Recorder } from "./stats.ts";

export const CONCURRENCY = 32;
export const WARMUP_MS = 500;
export const DURATION_MS = 4_000;
export const LOAD_SCRIPT = fileURLToPath(new URL("./load.ts", import.meta.url));

/** Splits a byte stream into lines, as the load generator writes them. */
async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of stream) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
      yield buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
    }
  }
  if (buffer) yield buffer;
}

/** Runs the load generator subprocess; this process's CPU is sampled over its measured window. */
export async function loadTest(config: LoadConfig): Promise<Measurement> {
  const child = Bun.spawn(["bun", LOAD_SCRIPT, JSON.stringify(config)], { stdout: "pipe", stderr: "inherit" });
  let window: { cpu: number; host: ReturnType<typeof hostCpu> } | null = null;
  let result: LoadResult | null = null;
  for await (const line of lines(child.stdout)) {
    if (line === "start") window = { cpu: processCpuSeconds(), host: hostCpu() };
    else if (line.trim()) result = JSON.parse(line) as LoadResult;
  }
  const serverCpu = processCpuSeconds();
  const host = hostCpu();
  const code = await child.exited;
  if (code !== 0 || !result || !window) throw new Error(`load generator failed (exit ${code})`);
  return {
    requests: result.requests,
    errors: result.errors,
    firstError: result.firstError,
    seconds: result.seconds,
    perSecond: result.requests / result.seconds,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    serverCores: (serverCpu - window.cpu) / result.seconds,
    loadCores: result.cpuCores,
    hostCores: busyCores(window.host, host),
    ...(result.writes ? { writes: result.writes } : {}),
  };
}

/** Closed loop in this process: `CONCURRENCY` workers each keep one call in flight. */
export async function inProcessLoop(call: () => Promise<unknown>): Promise<Measurement> {
  const recorder = new Recorder();
  const measureFrom = performance.now() + WARMUP_MS;
  const deadline = measureFrom + DURATION_MS;
  const worker = async () => {
    for (let started = performance.now(); started < deadline; started = performance.now()) {
      const error = await call().then(
        () => null,
        (cause: unknown) => String(cause),
      );
      if (started < measureFrom) continue;
      if (error) recorder.fail(error);
      else recorder.record(performance.now() - started);
    }
  };
  const workers = Array.from({ length: CONCURRENCY }, worker);
  await Bun.sleep(Math.max(0, measureFrom - performance.now()));
  const cpuFrom = processCpuSeconds();
  const hostFrom = hostCpu();
  const wallFrom = performance.now();
  await Promise.all(workers);
  const seconds = (performance.now() - wallFrom) / 1000;
  return {
    requests: recorder.count,
    errors: recorder.errors,
    firstError: recorder.firstError,
    seconds,
    perSecond: recorder.count / seconds,
    ...recorder.percentiles(),
    serverCores: (processCpuSeconds() - cpuFrom) / seconds,
    loadCores: null,
    hostCores: busyCores(hostFrom, hostCpu()),
  };
}

export function loadConfig(url: string, init: Pick<LoadConfig, "method" | "headers" | "body" | "writes">): LoadConfig {
  return { url, ...init, concurrency: CONCURRENCY, warmupMs: WARMUP_MS, durationMs: DURATION_MS };
}
