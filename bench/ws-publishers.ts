/** What publishes in a window: the hub (log appends or HTTP PATCHes) or the bare Bun.serve limit. */
import { appendEvent } from "@tandem/database";
import { type Backend, BENCH_EVENT, type Fixture, payload } from "./ws-backend.ts";
import { envelope, type startBareServer } from "./ws-bare.ts";
import { anomalies, BARE_TOPIC, BURST_EVENTS, E2E_MUTATIONS, E2E_RATE, int, ms, type Patcher } from "./ws-config.ts";
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
 * The hub's burst: 3,000 events appended in one transaction (pipelined, untimed), the clock
 * started just before COMMIT. The commit's NOTIFY wakes the hub; the in-process commit hook
 * only fires for domain verbs, so it is woken by hand too, as a local worker would.
 */
export function hubBurst(bench: Bench): Publisher {
  const { db } = bench.backend.handle;
  const { orgId } = bench.fixture;
  return async (arm) => {
    let t0 = 0;
    const appendFrom = performance.now();
    let appendMs = 0;
    await db.transaction(async (tx) => {
      for (let from = 0; from < BURST_EVENTS; from += 100) {
        const batch = Array.from({ length: Math.min(100, BURST_EVENTS - from) }, (_, k) =>
          appendEvent(tx, {
            orgId,
            type: BENCH_EVENT,
            visibility: "members",
            actorId: null,
            payload: payload(now(), from + k, bench.padTo),
          }),
        );
        await Promise.all(batch);
      }
      appendMs = performance.now() - appendFrom;
      await arm();
      t0 = now();
    });
    void bench.backend.hub.wake(orgId);
    return { t0, note: `clock from COMMIT; append of ${int.format(BURST_EVENTS)} untimed: ${ms(appendMs)}` };
  };
}

export function bareBurst(bench: Bench): Publisher {
  return async (arm) => {
    await arm();
    const t0 = now();
    for (let i = 0; i < BURST_EVENTS; i += 1) barePublish(bench, i);
    return { t0, note: "one synchronous publish loop" };
  };
}

/** One event per transaction, publish time taken before it starts; delivered through NOTIFY only. */
export function hubPaced(bench: Bench, rate: number, count: number): Publisher {
  const { db } = bench.backend.handle;
  const { orgId } = bench.fixture;
  return async (arm) => {
    await arm();
    const t0 = now();
    await paced(rate, count, (i) => {
      const publishedAt = now();
      return db.transaction((tx) =>
        appendEvent(tx, {
          orgId,
          type: BENCH_EVENT,
          visibility: "members",
          actorId: null,
          payload: payload(publishedAt, i, bench.padTo),
        }),
      );
    });
    return { t0 };
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
      note: `PATCH response p50 ${ms(done.p50Ms)} p99 ${ms(done.p99Ms)}, ${done.errors} failed`,
      loadCores: done.cpuSeconds / done.seconds,
    };
  };
}
