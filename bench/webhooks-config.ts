/** The webhook benchmark's rate, duration, runs and drain budget. */
import { fileURLToPath } from "node:url";
export const RATE = 50;
export const DURATION_S = 20;
export const COUNT = RATE * DURATION_S;
export const RUNS = 3;
/** Unmeasured deliveries to each server first: JIT, prepared statements, pg-boss's first fetches. */
export const WARMUP_COUNT = 100;
/** Every 5th delivery edits an issue opened earlier in the run: 80% creates, 20% updates. */
export const EDIT_EVERY = 5;
/** The backlog is checked this often once the load has stopped; the drain's end comes from `processed_at`, not from the poll. */
export const POLL_MS = 100;
/**
 * How long after the last send a run waits for the backlog to empty. A worker slower than the
 * offered load would take minutes per run; past the budget, the rate it did reach is measured,
 * the full drain projected from it, and the rest of the backlog deleted so the next run starts
 * empty. `bun run bench:webhooks --drain-budget=600` waits for real drains.
 */
export const DRAIN_BUDGET_MS = drainBudgetSeconds() * 1000;
export const WARMUP_DRAIN_BUDGET_MS = 5_000;
/**
 * Capacity: a backlog of this many deliveries, sent open loop at BACKLOG_RATE/s (as fast as
 * the ack path takes them), then drained as fast as the worker goes. The drain rate is taken
 * after the last ack, when the worker only applies; BACKLOG_BUDGET_MS bounds the wait.
 */
export const BACKLOG_COUNT = 2_000;
export const BACKLOG_RATE = 500;
export const BACKLOG_BUDGET_MS = 240_000;
export const LOAD_SCRIPT = fileURLToPath(new URL("./webhooks-load.ts", import.meta.url));

/** `--drain-budget=<seconds>`, default 20: an argument, not an env var, so turbo's cache keys need not know it. */
function drainBudgetSeconds(): number {
  const arg = process.argv.find((value) => value.startsWith("--drain-budget="));
  const seconds = Number(arg?.slice("--drain-budget=".length) ?? 20);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`bad ${arg}`);
  return seconds;
}
