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
  /** PATCHes of the write mix (their latencies kept apart from the reads'). */
  writes: { count: number; p50Ms: number; p99Ms: number } | null;
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

type Writes = NonNullable<LoadConfig["writes"]>;
type WriteState = { spec: Writes; free: Writes["tasks"]; sent: number; recorder: Recorder };

/** One PATCH of a task no other worker is PATCHing; its version comes back in the answer. */
async function write(config: LoadConfig, state: WriteState): Promise<string | null> {
  state.sent += 1;
  const task = state.free.shift();
  if (!task) return "write mix: more workers than tasks";
  try {
    const response = await fetch(state.spec.taskUrl.replace(":taskId", task.id), {
      method: "PATCH",
      headers: { ...config.headers, "content-type": "application/json" },
      body: JSON.stringify({ title: `bench write ${state.sent}`, version: task.version }),
    });
    const text = await response.text();
    if (!response.ok) return `PATCH ${response.status} ${text.slice(0, 200)}`;
    task.version = (JSON.parse(text) as { version: number }).version;
    return null;
  } finally {
    state.free.push(task);
  }
}

let issued = 0;

/** Requests started before `measureFrom` are warm-up: sent, not recorded. */
async function worker(
  config: LoadConfig,
  measureFrom: number,
  deadline: number,
  recorder: Recorder,
  writes: WriteState | null,
): Promise<void> {
  for (let started = performance.now(); started < deadline; started = performance.now()) {
    issued += 1;
    const isWrite = writes !== null && issued % writes.spec.every === 0;
    const call = isWrite ? write(config, writes) : once(config);
    const error = await call.catch((cause: unknown) => String(cause));
    if (started < measureFrom) continue;
    const into = isWrite ? writes.recorder : recorder;
    if (error) into.fail(error);
    else into.record(performance.now() - started);
  }
}

async function main(): Promise<void> {
  const config = parseConfig();
  const recorder = new Recorder();
  const begin = performance.now();
  const measureFrom = begin + config.warmupMs;
  const deadline = measureFrom + config.durationMs;
  const writes: WriteState | null = config.writes
    ? { spec: config.writes, free: [...config.writes.tasks], sent: 0, recorder: new Recorder() }
    : null;
  const workers = Array.from({ length: config.concurrency }, () =>
    worker(config, measureFrom, deadline, recorder, writes),
  );

  await Bun.sleep(Math.max(0, measureFrom - performance.now()));
  process.stdout.write("start\n");
  const cpuFrom = processCpuSeconds();
  const wallFrom = performance.now();
  await Promise.all(workers);
  // Requests in flight at the deadline still count, so the window ends when the last one lands.
  const seconds = (performance.now() - wallFrom) / 1000;
  const result: LoadResult = {
    requests: recorder.count,
    errors: recorder.errors + (writes?.recorder.errors ?? 0),
    firstError: recorder.firstError ?? writes?.recorder.firstError ?? null,
    seconds,
    ...recorder.percentiles(),
    cpuCores: (processCpuSeconds() - cpuFrom) / seconds,
    writes: writes ? { count: writes.recorder.count, ...writes.recorder.percentiles() } : null,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
