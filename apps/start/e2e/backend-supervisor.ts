/**
 * Runs the backend for the browser tests and lets a test restart it: the first SIGUSR2
 * stops it (sockets get 1001, the tab shows "reconnecting"), the next starts it again.
 * Its pid is written to e2e/.results/backend-supervisor.pid for the test to signal.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";

const resultsDir = join(import.meta.dir, ".results");
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, "backend-supervisor.pid"), String(process.pid));

const start = () =>
  Bun.spawn(["bun", join(import.meta.dir, "../../backend/src/index.ts")], {
    stdout: "inherit",
    stderr: "inherit",
    env: process.env,
  });

let child: Subprocess | null = start();
// Stay alive while the backend is stopped (nothing else would hold the event loop open).
setInterval(() => {}, 60_000);
// Signals are handled in order: a "start" that arrives while the stop is still draining waits for it.
let queue = Promise.resolve();

process.on("SIGUSR2", () => {
  queue = queue.then(async () => {
    if (child) {
      child.kill("SIGTERM");
      await child.exited;
      child = null;
    } else {
      child = start();
    }
  });
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, async () => {
    child?.kill("SIGTERM");
    await child?.exited;
    process.exit(0);
  });
}
