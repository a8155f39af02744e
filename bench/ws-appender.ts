/**
 * The event writer of bench/ws.ts, in its own `bun` process (as a worker or another backend
 * instance would be): each event is appended in its own transaction through the product's
 * `appendEvent` (counter update + insert; the insert trigger NOTIFYs `tandem_events`), and
 * committed. The hub (and the database-path limit, ws-relay.ts) learn of it only through the
 * NOTIFY, then read it back and publish it: the real per-event path.
 *
 * `rate` 0 appends as fast as `inFlight` concurrent transactions go; otherwise on a paced
 * schedule. Each event carries its publish time, taken just before its transaction begins.
 */
import { appendEvent, connect } from "@tandem/database";
import { processCpuSeconds } from "./stats.ts";
import { benchTitle, commands, now, paced } from "./ws-protocol.ts";

export type AppenderConfig = { databaseUrl: string; padTo: number; eventType: "UPDATE_MEMBER" };
export type AppenderCommand =
  | { cmd: "run"; orgId: string; count: number; rate: number; inFlight: number }
  | { cmd: "exit" };
export type AppenderReport = {
  event: "done";
  appended: number;
  errors: number;
  firstError: string | null;
  cpuSeconds: number;
  seconds: number;
};

const raw = process.argv[2];
if (!raw) throw new Error("usage: bun bench/ws-appender.ts '<AppenderConfig JSON>'");
const config = JSON.parse(raw) as AppenderConfig;
const handle = connect(config.databaseUrl, { applicationName: "tandem-bench-appender" });
const { db } = handle;
let seq = 0;

async function run(orgId: string, count: number, rate: number, inFlight: number): Promise<void> {
  let appended = 0;
  let errors = 0;
  let firstError: string | null = null;
  const append = async () => {
    const publishedAt = now();
    seq += 1;
    const userIds = [benchTitle(publishedAt, seq, config.padTo)];
    try {
      await db.transaction((tx) =>
        appendEvent(tx, { orgId, type: config.eventType, visibility: "members", actorId: null, payload: { userIds } }),
      );
      appended += 1;
    } catch (error) {
      errors += 1;
      firstError ??= String(error);
    }
  };
  const cpuFrom = processCpuSeconds();
  const wallFrom = performance.now();
  if (rate > 0) {
    await paced(rate, count, () => append());
  } else {
    let next = 0;
    const worker = async () => {
      for (; next < count; ) {
        next += 1;
        await append();
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
  }
  const report: AppenderReport = {
    event: "done",
    appended,
    errors,
    firstError,
    cpuSeconds: processCpuSeconds() - cpuFrom,
    seconds: (performance.now() - wallFrom) / 1000,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

for await (const command of commands<AppenderCommand>()) {
  if (command.cmd === "run") await run(command.orgId, command.count, command.rate, command.inFlight);
  else break;
}
await handle.close();
process.exit(0);
