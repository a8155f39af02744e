/**
 * WebSocket subscribers for bench/ws.ts, in their own `bun` process so that decoding every
 * socket's messages does not come out of the server's event loop.
 *
 * Opens `sockets` WebSockets, subscribes each (SUBSCRIBE to the hub; the bare server subscribes
 * on open), waits until the connection-time chatter (presence) has gone quiet, then reports
 * `ready`. Each `arm` command opens a window that ends when every socket has received `events`
 * benchmark messages, or at `timeoutMs`; the `result` carries counts, publish-to-receipt
 * percentiles and this process's CPU.
 */

import { percentile, processCpuSeconds } from "./stats.ts";
import {
  commands,
  now,
  report,
  SEQ_MARK,
  type SubscriberCommand,
  type SubscriberConfig,
  TIME_MARK,
  type WindowResult,
} from "./ws-protocol.ts";

// No message for this long after the last SUBSCRIBED: the presence broadcasts have drained.
const QUIET_MS = 300;

type Window = {
  events: number;
  expected: number;
  deliveries: number;
  latencies: Float64Array;
  perSocket: Int32Array;
  lastSeq: Float64Array;
  outOfOrder: number;
  firstAt: number;
  lastAt: number;
  armedAt: number;
  cpuFrom: number;
  timer: ReturnType<typeof setTimeout>;
};

function parseConfig(): SubscriberConfig {
  const raw = process.argv[2];
  if (!raw) throw new Error("usage: bun bench/ws-subscribers.ts '<SubscriberConfig JSON>'");
  return JSON.parse(raw) as SubscriberConfig;
}

const config = parseConfig();
const sockets: (WebSocket | null)[] = Array.from({ length: config.sockets }, () => null);
const subscribedFlags = new Uint8Array(config.sockets);
let subscribed = 0;
let failed = 0;
let firstFailure: string | null = null;
let closed = 0;
let firstClose: string | null = null;
let errors = 0;
let firstError: string | null = null;
let stray = 0;
let lastMessageAt = now();
let window: Window | null = null;
let exiting = false;

function fail(index: number, why: string): void {
  if (subscribedFlags[index]) return;
  subscribedFlags[index] = 2;
  failed += 1;
  firstFailure ??= why;
}

function onBench(index: number, text: string, mark: number, at: number): void {
  const w = window;
  if (!w) {
    stray += 1;
    return;
  }
  const publishedAt = Number.parseFloat(text.slice(mark + TIME_MARK.length, mark + TIME_MARK.length + 24));
  // The envelope's own seq (meta.seq of the hub, the same field on the bare server) comes last.
  const seqAt = text.lastIndexOf('"seq":');
  const seq = seqAt >= 0 ? Number.parseInt(text.slice(seqAt + 6, seqAt + 26), 10) : Number.NaN;
  const previous = w.lastSeq[index] ?? 0;
  if (!(seq > previous)) w.outOfOrder += 1;
  w.lastSeq[index] = seq;
  w.perSocket[index] = (w.perSocket[index] ?? 0) + 1;
  if (w.deliveries < w.latencies.length) w.latencies[w.deliveries] = at - publishedAt;
  w.deliveries += 1;
  if (w.firstAt === 0) w.firstAt = at;
  w.lastAt = at;
  if (w.deliveries >= w.expected) finish(false);
}

function onControl(index: number, ws: WebSocket, text: string): void {
  // Every server message starts with `{"type":"`; only a few kinds need a parse.
  const type = text.slice(9, text.indexOf('"', 9));
  switch (type) {
    case "SUBSCRIBED":
      if (!subscribedFlags[index]) {
        subscribedFlags[index] = 1;
        subscribed += 1;
      }
      return;
    case "PING": {
      // Irrelevant for short runs, but a socket that never answers is closed after 60 s.
      const ping = JSON.parse(text) as { data?: { ts?: number } };
      ws.send(JSON.stringify({ type: "PONG", ts: ping.data?.ts }));
      return;
    }
    case "ERROR": {
      errors += 1;
      firstError ??= text.slice(0, 300);
      fail(index, text.slice(0, 300));
      return;
    }
    default:
      return; // CONNECTION_STATUS, presence
  }
}

function open(index: number): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(config.url, { headers: config.headers });
    sockets[index] = ws;
    ws.onopen = () => {
      const orgIds = config.orgIds;
      if (orgIds) {
        const orgId = orgIds[index % orgIds.length];
        ws.send(JSON.stringify({ type: "SUBSCRIBE", orgId, channel: "tasks" }));
      }
      resolve();
    };
    ws.onmessage = (event) => {
      const at = now();
      lastMessageAt = at;
      const text = typeof event.data === "string" ? event.data : String(event.data);
      const mark = text.indexOf(TIME_MARK);
      if (mark >= 0 && text.indexOf(SEQ_MARK, mark) > 0) onBench(index, text, mark, at);
      else onControl(index, ws, text);
    };
    ws.onclose = (event) => {
      sockets[index] = null;
      if (exiting) return;
      closed += 1;
      firstClose ??= `${event.code} ${event.reason}`;
      fail(index, `closed ${event.code} ${event.reason}`);
      resolve();
    };
    ws.onerror = () => {
      fail(index, "socket error");
      resolve();
    };
  });
}

async function connectAll(): Promise<number> {
  const started = performance.now();
  let nextIndex = 0;
  const worker = async () => {
    for (let index = nextIndex++; index < config.sockets; index = nextIndex++) await open(index);
  };
  await Promise.all(Array.from({ length: Math.min(config.connectConcurrency, config.sockets) }, worker));
  while (subscribed + failed < config.sockets) await Bun.sleep(10);
  const connectMs = performance.now() - started;
  while (now() - lastMessageAt < QUIET_MS) await Bun.sleep(QUIET_MS / 4);
  return connectMs;
}

function arm(events: number, timeoutMs: number): void {
  const live = subscribed;
  const expected = events * live;
  window = {
    events,
    expected,
    deliveries: 0,
    latencies: new Float64Array(expected),
    perSocket: new Int32Array(config.sockets),
    lastSeq: new Float64Array(config.sockets),
    outOfOrder: 0,
    firstAt: 0,
    lastAt: 0,
    armedAt: now(),
    cpuFrom: processCpuSeconds(),
    timer: setTimeout(() => finish(true), timeoutMs),
  };
  report({ event: "armed" });
}

function finish(timedOut: boolean): void {
  const w = window;
  if (!w) return;
  window = null;
  clearTimeout(w.timer);
  const cpuSeconds = processCpuSeconds() - w.cpuFrom;
  let incompleteSockets = 0;
  for (let i = 0; i < config.sockets; i += 1) {
    if (subscribedFlags[i] === 1 && w.perSocket[i] !== w.events) incompleteSockets += 1;
  }
  const sorted = w.latencies.subarray(0, Math.min(w.deliveries, w.latencies.length)).sort();
  const result: WindowResult = {
    event: "result",
    sockets: subscribed,
    expected: w.expected,
    deliveries: w.deliveries,
    incompleteSockets,
    outOfOrder: w.outOfOrder,
    firstAt: w.firstAt,
    lastAt: w.lastAt,
    armedAt: w.armedAt,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length > 0 ? (sorted[sorted.length - 1] ?? Number.NaN) : Number.NaN,
    cpuSeconds,
    closed,
    firstClose,
    errors,
    firstError,
    stray,
    timedOut,
  };
  report(result);
}

async function main(): Promise<void> {
  const connectMs = await connectAll();
  report({ event: "ready", sockets: subscribed, failed, firstFailure, connectMs });
  for await (const command of commands<SubscriberCommand>()) {
    if (command.cmd === "arm") arm(command.events, command.timeoutMs);
    else break;
  }
  exiting = true;
  for (const ws of sockets) ws?.close();
  // Give the close frames a moment to leave, so the server sees clean closes.
  await Bun.sleep(100);
  process.exit(0);
}

await main();
