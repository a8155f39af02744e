/** The WebSocket benchmark's sizes, child scripts, shared tallies and number formats. */
import { fileURLToPath } from "node:url";
import type { AppenderCommand, AppenderReport } from "./ws-appender.ts";
import type {
  Child,
  PatcherCommand,
  PatcherReport,
  ServerCommand,
  ServerReport,
  SubscriberCommand,
  SubscriberReport,
} from "./ws-protocol.ts";

export const WEB_ORIGIN = "http://localhost:3000";
export const SECRET = "bench-secret-bench-secret-bench-secret-01";
export const RUNS = 3;
export const MESSAGE_BYTES = 300;
export const FANOUT_SOCKETS = 1_000;
// One transaction per event now (the real path), so a burst is bounded by the append rate:
// 1,000 events x 1,000 sockets keeps a run within the subscribers' timeout on a busy machine.
export const BURST_EVENTS = 1_000;
export const LATENCY_RATE = 100;
export const LATENCY_EVENTS = 300;
export const E2E_SOCKETS = 100;
export const E2E_RATE = 200;
export const E2E_MUTATIONS = 600;
// Each task is patched every E2E_TASKS / E2E_RATE s, far longer than a PATCH takes: no 409s.
export const E2E_TASKS = 20;
/** `--memory-sockets=<n>` (default 5,000): fewer on a machine where connecting is slow. */
export const MEMORY_SOCKETS = argNumber("--memory-sockets", 5_000);
export const MEMORY_PROCESSES = 2;
// One room of 5,000 would make joining quadratic (every join is announced to the whole room
// and SUBSCRIBED lists everyone present), so the idle sockets are spread over rooms of 100.
export const MEMORY_ROOMS = 50;
export const MEMORY_WARMUP_SOCKETS = 50;
export const BARE_TOPIC = "bench:tasks";
// A run with more cores than this busy outside the benchmark (other work on the machine) is
// measured again, at most RETRIES_PER_RUN times per run and MAX_RETRIES over the whole
// benchmark, to bound its runtime when the machine stays busy.
export const OUTSIDE_LIMIT = 0.25;
export const RETRIES_PER_RUN = 1;
const MAX_RETRIES = 4;
export const SUBSCRIBER_SCRIPT = fileURLToPath(new URL("./ws-subscribers.ts", import.meta.url));
export const SERVER_SCRIPT = fileURLToPath(new URL("./ws-server.ts", import.meta.url));
export const PATCHER_SCRIPT = fileURLToPath(new URL("./ws-patcher.ts", import.meta.url));
export const APPENDER_SCRIPT = fileURLToPath(new URL("./ws-appender.ts", import.meta.url));
/** Concurrent append transactions of the fan-out burst (they serialise on the org's counter row). */
export const BURST_IN_FLIGHT = 8;

export type Subscribers = Child<SubscriberReport, SubscriberCommand>;
export type ServerChild = Child<ServerReport, ServerCommand>;
export type Patcher = Child<PatcherReport, PatcherCommand>;
export type Appender = Child<AppenderReport, AppenderCommand>;

export const retries = { left: MAX_RETRIES, used: 0 };
/** Lost, duplicated or reordered deliveries and closed sockets, repeated under the summary. */
export const anomalies: string[] = [];

export const int = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
export const ms = (value: number) => `${value.toFixed(1)} ms`;
export const cores = (value: number) => value.toFixed(2);
export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function argNumber(name: string, fallback: number): number {
  const arg = process.argv.find((value) => value.startsWith(`${name}=`));
  if (!arg) return fallback;
  const value = Number(arg.slice(name.length + 1));
  if (!Number.isInteger(value) || value <= 0) throw new Error(`bad ${arg}`);
  return value;
}
