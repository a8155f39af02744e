/**
 * What bench/ws.ts and its child processes (ws-subscribers.ts, ws-patcher.ts, ws-server.ts) say
 * to each other: configs as JSON in argv, commands as JSON lines on stdin, reports as JSON lines
 * on stdout. Plus the clock and pacing they share.
 */
import type { Subprocess } from "bun";

/**
 * Wall-clock milliseconds with sub-millisecond resolution. Every process of the benchmark runs
 * on this machine, so publish time in one and receipt time in another are on the same clock.
 */
export const now = (): number => performance.timeOrigin + performance.now();

/**
 * Every benchmark message carries `benchT=<publish time> benchSeq=<n>` inside a string (a task
 * title), so a subscriber finds it with indexOf whatever the server wraps around it, and
 * without parsing millions of messages as JSON.
 */
export const TIME_MARK = "benchT=";
export const SEQ_MARK = " benchSeq=";

export function benchTitle(publishedAt: number, seq: number, padTo = 0): string {
  const title = `${TIME_MARK}${publishedAt.toFixed(3)}${SEQ_MARK}${seq} `;
  return title.padEnd(padTo, "x");
}

export type SubscriberConfig = {
  /** ws:// URL of the server's socket endpoint. */
  url: string;
  headers: Record<string, string>;
  sockets: number;
  /** Hub: each socket SUBSCRIBEs to one of these orgs' tasks channel, round-robin. Bare server: null, it subscribes on open. */
  orgIds: string[] | null;
  /** Upgrades in flight at once: each costs the hub a session lookup, so do not queue thousands. */
  connectConcurrency: number;
};

export type SubscriberCommand = { cmd: "arm"; events: number; timeoutMs: number } | { cmd: "exit" };

/** One measured window, from `arm` until every socket got `events` messages (or the timeout). */
export type WindowResult = {
  event: "result";
  sockets: number;
  expected: number;
  deliveries: number;
  /** Sockets that did not get exactly `events` benchmark messages. */
  incompleteSockets: number;
  /** Messages whose seq was not above the previous one on the same socket (duplicate or reordered). */
  outOfOrder: number;
  /** Receipt time of the first and last benchmark message (`now()` clock). */
  firstAt: number;
  lastAt: number;
  armedAt: number;
  /** Publish-to-receipt over all deliveries. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU seconds this process used from `arm` to the result. */
  cpuSeconds: number;
  closed: number;
  firstClose: string | null;
  errors: number;
  firstError: string | null;
  /** Benchmark messages that arrived outside a window (late stragglers of an earlier one). */
  stray: number;
  timedOut: boolean;
};

export type SubscriberReport =
  | { event: "ready"; sockets: number; failed: number; firstFailure: string | null; connectMs: number }
  | { event: "armed" }
  | WindowResult;

export type PatcherConfig = {
  /** http:// URL of the backend. */
  url: string;
  orgId: string;
  cookie: string;
  origin: string;
  /** The tasks to PATCH round-robin, with their current version. */
  tasks: { id: string; version: number }[];
};

export type PatcherCommand = { cmd: "run"; rate: number; count: number } | { cmd: "exit" };

export type PatcherReport = {
  event: "done";
  requests: number;
  errors: number;
  firstError: string | null;
  /** PATCH response times. */
  p50Ms: number;
  p99Ms: number;
  cpuSeconds: number;
  seconds: number;
  /** Size of the hub's UPDATE_TASK message for the last PATCH (the task as the response returned it). */
  messageBytes: number;
  /** Requests that failed at the network level (ECONNRESET...) since the patcher started: counted and skipped. */
  networkErrors: number;
};

export type ServerConfig = {
  kind: "hub" | "bare";
  databaseUrl: string;
  webOrigin: string;
  secret: string;
  topic: string;
};

export type ServerCommand = { cmd: "rss" } | { cmd: "exit" };

export type ServerReport = { event: "listening"; url: string } | { event: "rss"; rss: number; clients: number | null };

/** Calls `fire` at a fixed rate (absolute schedule, so a slow call does not shift later ones). */
export async function paced(
  rate: number,
  count: number,
  fire: (i: number) => Promise<unknown> | undefined,
): Promise<void> {
  const start = performance.now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < count; i += 1) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) await Bun.sleep(wait);
    const call = fire(i);
    if (call) pending.push(call);
  }
  await Promise.all(pending);
}

/** Splits a byte stream into lines. */
export async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
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

/** Reads JSON-line commands from stdin, for the child processes. */
export async function* commands<C>(): AsyncGenerator<C> {
  for await (const line of lines(Bun.stdin.stream())) {
    if (line.trim()) yield JSON.parse(line) as C;
  }
}

export function report(message: SubscriberReport | PatcherReport | ServerReport): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/**
 * A child process of the benchmark seen from the parent: commands in, reports out, and a wait
 * for the next report of a given kind.
 */
export class Child<Report extends { event: string }, Command> {
  private readonly queue: Report[] = [];
  private waiters: (() => void)[] = [];
  private ended = false;

  constructor(
    readonly name: string,
    private readonly proc: Subprocess<"pipe", "pipe", "inherit">,
  ) {
    void this.pump();
  }

  static spawn<Report extends { event: string }, Command>(
    name: string,
    script: string,
    config: unknown,
  ): Child<Report, Command> {
    const proc = Bun.spawn(["bun", script, JSON.stringify(config)], {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "inherit",
    });
    return new Child<Report, Command>(name, proc);
  }

  get pid(): number {
    return this.proc.pid;
  }

  private async pump(): Promise<void> {
    try {
      for await (const line of lines(this.proc.stdout)) {
        if (line.trim()) this.queue.push(JSON.parse(line) as Report);
        this.wake();
      }
    } finally {
      this.ended = true;
      this.wake();
    }
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  send(command: Command): void {
    this.proc.stdin.write(`${JSON.stringify(command)}\n`);
    void this.proc.stdin.flush();
  }

  async next<E extends Report["event"]>(event: E, timeoutMs: number): Promise<Extract<Report, { event: E }>> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const index = this.queue.findIndex((r) => r.event === event);
      const found = index >= 0 ? this.queue.splice(index, 1)[0] : undefined;
      if (found) return found as Extract<Report, { event: E }>;
      if (this.ended) throw new Error(`${this.name} exited (code ${await this.proc.exited}) before "${event}"`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`${this.name}: no "${event}" within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Asks it to exit, and kills it if it does not within a few seconds. */
  async stop(exit: Command): Promise<void> {
    if (this.proc.exitCode === null && !this.proc.killed) {
      try {
        this.send(exit);
        this.proc.stdin.end();
      } catch {
        // stdin already closed: the kill below still ends it
      }
    }
    const timer = setTimeout(() => this.proc.kill(), 5_000);
    await this.proc.exited;
    clearTimeout(timer);
  }
}
