/**
 * HTTP PATCH generator for the end-to-end subject of bench/ws.ts, in its own `bun` process so
 * the client side of the requests does not come out of the server's CPU or event loop.
 *
 * Each `run` sends `count` PATCHes at `rate`/s, round-robin over the tasks, each with a title
 * carrying its send time (the subscribers measure from it). A task's next PATCH waits for its
 * previous one, since it needs the version that one returns; the process lives for the whole
 * subject so versions carry over from run to run.
 */

import { processCpuSeconds, Recorder } from "./stats.ts";
import { envelope } from "./ws-bare.ts";
import { benchTitle, commands, now, type PatcherCommand, type PatcherConfig, paced, report } from "./ws-protocol.ts";

type Task = { id: string; version: number; busy: Promise<void> };

function parseConfig(): PatcherConfig {
  const raw = process.argv[2];
  if (!raw) throw new Error("usage: bun bench/ws-patcher.ts '<PatcherConfig JSON>'");
  return JSON.parse(raw) as PatcherConfig;
}

const config = parseConfig();
const headers = { cookie: config.cookie, origin: config.origin, "content-type": "application/json" };
const tasks: Task[] = config.tasks.map((task) => ({ ...task, busy: Promise.resolve() }));
let seq = 0;
let messageBytes = 0;
let networkErrors = 0;

/**
 * One PATCH. A network error (ECONNRESET from a busy server, a refused connection) is counted
 * and skipped, not fatal: the PATCH may or may not have been applied, so the task's version is
 * read again before its next PATCH. A 409 (stale version) resyncs the same way.
 */
async function patch(task: Task, recorder: Recorder): Promise<void> {
  seq += 1;
  const sentAt = now();
  const url = `${config.url}/api/orgs/${config.orgId}/tasks/${task.id}`;
  try {
    const response = await fetch(url, {
      method: "PATCH",
      headers,
      body: JSON.stringify({ title: benchTitle(sentAt, seq), version: task.version }),
    });
    const text = await response.text();
    const body = (response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : {}) as {
      version?: unknown;
    };
    if (!response.ok || typeof body.version !== "number") {
      recorder.fail(`${response.status} ${text.slice(0, 200)}`);
      if (response.status === 409) await resync(task);
      return;
    }
    task.version = body.version;
    recorder.record(now() - sentAt);
    messageBytes = envelope("UPDATE_TASK", { task: body }, config.orgId, seq).length;
  } catch (error) {
    networkErrors += 1;
    recorder.fail(`network: ${String(error)}`);
    await resync(task);
  }
}

/** Reads the task's current version (a few attempts); on failure the next PATCH may 409 and resync again. */
async function resync(task: Task): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const response = await fetch(`${config.url}/api/orgs/${config.orgId}/tasks/${task.id}`, { headers });
      const body = (await response.json()) as { version?: unknown };
      if (response.ok && typeof body.version === "number") {
        task.version = body.version;
        return;
      }
    } catch {
      networkErrors += 1;
    }
  }
}

async function run(rate: number, count: number): Promise<void> {
  const recorder = new Recorder();
  const cpuFrom = processCpuSeconds();
  const wallFrom = performance.now();
  await paced(rate, count, (i) => {
    const task = tasks[i % tasks.length];
    if (!task) return undefined;
    task.busy = task.busy.then(() => patch(task, recorder));
    return task.busy;
  });
  const seconds = (performance.now() - wallFrom) / 1000;
  report({
    event: "done",
    requests: recorder.count + recorder.errors,
    errors: recorder.errors,
    firstError: recorder.firstError,
    ...recorder.percentiles(),
    cpuSeconds: processCpuSeconds() - cpuFrom,
    seconds,
    messageBytes,
    networkErrors,
  });
}

for await (const command of commands<PatcherCommand>()) {
  if (command.cmd === "run") await run(command.rate, command.count);
  else break;
}
process.exit(0);
