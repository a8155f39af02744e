/** What publishes in a window: the hub (log appends or HTTP PATCHes) or the bare Bun.serve limit. */
import { type Backend, BENCH_EVENT, type Fixture, payload } from "./ws-backend.ts";
import { envelope, type startBareServer } from "./ws-bare.ts";
import { type Appender, anomalies, BARE_TOPIC, E2E_MUTATIONS, E2E_RATE, int, ms, type Patcher } from "./ws-config.ts";
import type { Publisher } from "./ws-measure.ts";
import { now, paced } from "./ws-protocol.ts";

export type Bench = { backend: Backend; fixture: Fixture; bare: ReturnType<typeof startBareServer>; padTo: number };

let bareSeq = 0;

function barePublish(bench: Bench, seq: number): void {
  bareSeq += 1;
  const message = envelope(BENCH_EVENT, payload(now(), seq, bench.padTo), bench.fixture.orgId, bareSeq);
  bench.bare.publish(BARE_TOPIC, message);
}

/**
 * Events from the appender process, one transaction each (a worker's or another instance's
 * path): `rate` 0 is a burst as fast as `inFlight` transactions go, otherwise paced. The hub
 * (subject) or the relay (database-path limit) learns of each through its NOTIFY only.
 */
export function appended(appender: Appender, orgId: string, count: number, rate: number, inFlight: number): Publisher {
  return async (arm) => {
    await arm();
    const t0 = now();
    appender.send({ cmd: "run", orgId, count, rate, inFlight });
    const done = await appender.next("done", 120_000);
    if (done.errors > 0) anomalies.push(`appender: ${done.errors} appends failed, first: ${done.firstError}`);
    const txRate = done.appended / done.seconds;
    return {
      t0,
      note: `${int.format(txRate)} transactions/s${rate > 0 ? "" : `, ${inFlight} in flight`}`,
      loadCores: done.cpuSeconds / done.seconds,
    };
  };
}

export function barePaced(bench: Bench, rate: number, count: number): Publisher {
  return async (arm) => {
    await arm();
    const t0 = now();
    await paced(rate, count, (i) => {
      barePublish(bench, i);
      return undefined;
    });
    return { t0 };
  };
}

/** PATCHes from the patcher process; its publish time is just before each request is sent. */
export type PatchStats = { messageBytes: number[]; p50Ms: number[]; p99Ms: number[] };

export function httpPatches(patcher: Patcher, stats: PatchStats): Publisher {
  return async (arm) => {
    await arm();
    const t0 = now();
    patcher.send({ cmd: "run", rate: E2E_RATE, count: E2E_MUTATIONS });
    const done = await patcher.next("done", 60_000);
    if (done.errors > 0) anomalies.push(`end to end: ${done.errors} PATCHes failed, first: ${done.firstError}`);
    stats.messageBytes.push(done.messageBytes);
    stats.p50Ms.push(done.p50Ms);
    stats.p99Ms.push(done.p99Ms);
    return {
      t0,
      note: `PATCH response p50 ${ms(done.p50Ms)} p99 ${ms(done.p99Ms)}, ${done.errors} failed (${done.networkErrors} network errors so far, skipped)`,
      loadCores: done.cpuSeconds / done.seconds,
    };
  };
}
