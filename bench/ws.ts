/**
 * Real-time hub benchmark against real Postgres: `bun run bench:ws`.
 *
 * Subscribers live in separate `bun` processes (ws-subscribers.ts) and report receipt times;
 * the backend (and its hub) runs in this process. Events come from an appender process
 * (ws-appender.ts), one transaction per event, as a worker or another instance writes them.
 * Each subject is paired with a "limit" measured in the same run:
 *   1. fan-out: 1,000 sockets in one room, 1,000 events appended as fast as 8 concurrent
 *      transactions go -> deliveries/s and server CPU per delivery; limit: the database path
 *      (ws-relay.ts: LISTEN, read back, bare `server.publish`, no app) on the same appends;
 *   2. latency: 100 events/s to 100 and to 1,000 sockets -> publish-to-receipt p50/p99, with
 *      the same database-path limit (transaction + commit + NOTIFY + read back + publish);
 *   3. end to end: HTTP PATCH at 200/s -> commit -> event log -> 100 sockets, p50/p99 (limit:
 *      a bare publish at 200/s; the goal is absolute);
 *   4. memory: server RSS per idle subscribed socket at 5,000 sockets (fresh server processes).
 * Subject and limit alternate, 3 runs each after a warm-up; medians are reported. A run during
 * which other work kept the machine busy (cores used beyond ours and our Postgres backends) is
 * discarded and repeated, a bounded number of times.
 *
 * DATABASE_URL: use that database (leaves its bench data behind).
 * Unset: create `tandem_bench_<timestamp>` on 127.0.0.1:5432 and drop it at the end.
 */
import { cpus, loadavg, totalmem } from "node:os";
import { connect, runMigrations } from "@tandem/database";
import { printGoals } from "./goals.ts";
import { cleanups, prepareDatabase, runBench } from "./lifecycle.ts";
import { median } from "./stats.ts";
import {
  BENCH_EVENT,
  connectRates,
  payload,
  seed,
  startAppender,
  startBackend,
  startPatcher,
  startSubscribers,
  titleLength,
} from "./ws-backend.ts";
import { envelope, startBareServer } from "./ws-bare.ts";
import {
  anomalies,
  BARE_TOPIC,
  BURST_EVENTS,
  BURST_IN_FLIGHT,
  cores,
  E2E_MUTATIONS,
  E2E_RATE,
  E2E_SOCKETS,
  E2E_TASKS,
  FANOUT_SOCKETS,
  int,
  LATENCY_EVENTS,
  LATENCY_RATE,
  MEMORY_PROCESSES,
  MEMORY_ROOMS,
  MEMORY_SOCKETS,
  ms,
  OUTSIDE_LIMIT,
  RETRIES_PER_RUN,
  RUNS,
  retries,
  SUBSCRIBER_SCRIPT,
  type Subscribers,
} from "./ws-config.ts";
import { measure, outsideCores, type Publisher, pgMonitor, type Run } from "./ws-measure.ts";
import { benchMemory, fdLimit } from "./ws-memory.ts";
import { now } from "./ws-protocol.ts";
import { appended, type Bench, barePaced, httpPatches, type PatchStats } from "./ws-publishers.ts";
import { startRelay } from "./ws-relay.ts";
import {
  bound,
  latencyLine,
  latencySummary,
  med,
  memorySummary,
  type Pair,
  serverCostLine,
  throughputLine,
  throughputSummary,
} from "./ws-report.ts";

/** One subject against its limit: a warm-up, then RUNS alternating runs; busy-machine runs repeated. */
async function alternate(
  name: string,
  events: number,
  subjects: { hub: [Subscribers, () => Publisher]; limit: [Subscribers, () => Publisher] },
  format: (run: Run) => string,
): Promise<Pair> {
  const pair: Pair = { name, hub: [], limit: [] };
  // Run 0 is a warm-up (code paths compiled, buffers and pools grown), shown but not counted.
  for (let run = 0; run <= RUNS; run += 1) {
    for (const side of ["hub", "limit"] as const) {
      const [subscribers, publisher] = subjects[side];
      const label = `${name}, ${run === 0 ? "warm-up" : `run ${run}`} ${side}`;
      for (let attempt = 0; ; attempt += 1) {
        const result = await measure(subscribers, label, events, publisher());
        // Someone else's work on this 2-core machine (tests, builds) swamps these figures.
        const canRetry = run > 0 && attempt < RETRIES_PER_RUN && retries.left > 0;
        const disturbed = canRetry && outsideCores(result) > OUTSIDE_LIMIT;
        const flags = result.problems.length > 0 ? `  !! ${result.problems.join("; ")}` : "";
        const load = result.loadCores === null ? "" : ` writer ${cores(result.loadCores)}`;
        console.log(
          `  ${run === 0 ? "warm " : `run ${run}`} ${side.padEnd(5)} ${format(result)}  n=${int.format(result.deliveries)}` +
            `  cpu: server ${cores(result.serverCores)} subs ${cores(result.subscriberCores)}${load}` +
            ` pg ${cores(result.postgresCores)} outside ${cores(outsideCores(result))}` +
            `${result.note ? `  (${result.note})` : ""}${flags}${disturbed ? "  -> discarded, busy machine" : ""}`,
        );
        // Let the sockets' buffers drain and Postgres settle before the next window.
        await Bun.sleep(disturbed ? 3_000 : 300);
        if (!disturbed) {
          if (run > 0) pair[side].push(result);
          break;
        }
        retries.left -= 1;
        retries.used += 1;
      }
    }
  }
  return pair;
}

async function main(): Promise<void> {
  const started = performance.now();
  const limit = await fdLimit();
  // Headroom for the runtime, the database pool and the listening socket.
  const memorySockets = Math.min(MEMORY_SOCKETS, (limit - 256) * MEMORY_PROCESSES, limit - 256);
  const databaseUrl = await prepareDatabase();
  const [load1] = loadavg();
  console.log(
    `database: ${new URL(databaseUrl).pathname.slice(1)}; fd limit (ulimit -n) ${limit}; ` +
      `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${load1?.toFixed(2)} at start`,
  );
  await runMigrations(databaseUrl);
  const monitor = connect(databaseUrl, { max: 1, applicationName: "tandem-bench-monitor" });
  cleanups.push(() => monitor.close());
  pgMonitor.handle = monitor;
  const backend = await startBackend(databaseUrl);
  const fixture = await seed(backend);
  const bareServer = startBareServer(BARE_TOPIC);
  cleanups.push(() => bareServer.stop(true));
  const bench: Bench = { backend, fixture, bare: bareServer, padTo: titleLength(fixture.orgId) };
  await startRelay(databaseUrl, fixture.limitOrgId, bareServer, BARE_TOPIC);
  const appender = startAppender(databaseUrl, bench.padTo);
  const sample = envelope(BENCH_EVENT, payload(now(), 0, bench.padTo), fixture.orgId, 10_000);
  const bareUrl = `ws://127.0.0.1:${bareServer.port}/`;
  console.log(
    `server: backend + bare Bun.serve in this process (pid ${process.pid}); subscribers: separate bun processes ` +
      `(${SUBSCRIBER_SCRIPT.split("/").pop()}); event message ${sample.length} bytes; ${RUNS} alternating runs; cpu in cores`,
  );

  console.log(
    `\nfan-out: ${int.format(FANOUT_SOCKETS)} sockets in one room, ${int.format(BURST_EVENTS)} events, one transaction ` +
      `each, ${BURST_IN_FLIGHT} in flight, from the appender process; clock from the first append; ` +
      "limit = database path (LISTEN, read back, bare publish)",
  );
  const hubMany = await startSubscribers(
    "hub subscribers",
    backend.wsUrl,
    FANOUT_SOCKETS,
    [fixture.orgId],
    fixture.cookie,
  );
  const bareMany = await startSubscribers("bare subscribers", bareUrl, FANOUT_SOCKETS, null, fixture.cookie);
  const fanout = await alternate(
    `fan-out ${int.format(FANOUT_SOCKETS)} subs x ${int.format(BURST_EVENTS)} events`,
    BURST_EVENTS,
    {
      hub: [hubMany, () => appended(appender, fixture.orgId, BURST_EVENTS, 0, BURST_IN_FLIGHT)],
      limit: [bareMany, () => appended(appender, fixture.limitOrgId, BURST_EVENTS, 0, BURST_IN_FLIGHT)],
    },
    throughputLine,
  );

  console.log(
    `\nlatency: ${LATENCY_RATE} events/s (${LATENCY_EVENTS} per run) from the appender process; publish time = ` +
      "just before the append transaction starts; limit = database path (commit, NOTIFY, read back, bare publish)",
  );
  const latencyMany = await alternate(
    `latency ${LATENCY_RATE}/s -> ${int.format(FANOUT_SOCKETS)} subs`,
    LATENCY_EVENTS,
    {
      hub: [hubMany, () => appended(appender, fixture.orgId, LATENCY_EVENTS, LATENCY_RATE, 1)],
      limit: [bareMany, () => appended(appender, fixture.limitOrgId, LATENCY_EVENTS, LATENCY_RATE, 1)],
    },
    latencyLine,
  );
  await Promise.all([hubMany.stop({ cmd: "exit" }), bareMany.stop({ cmd: "exit" })]);
  const hubFew = await startSubscribers("hub subscribers", backend.wsUrl, E2E_SOCKETS, [fixture.orgId], fixture.cookie);
  const bareFew = await startSubscribers("bare subscribers", bareUrl, E2E_SOCKETS, null, fixture.cookie);
  const latencyFew = await alternate(
    `latency ${LATENCY_RATE}/s -> ${int.format(E2E_SOCKETS)} subs`,
    LATENCY_EVENTS,
    {
      hub: [hubFew, () => appended(appender, fixture.orgId, LATENCY_EVENTS, LATENCY_RATE, 1)],
      limit: [bareFew, () => appended(appender, fixture.limitOrgId, LATENCY_EVENTS, LATENCY_RATE, 1)],
    },
    latencyLine,
  );

  console.log(
    `\nend to end: HTTP PATCH at ${E2E_RATE}/s (${E2E_MUTATIONS} per run, ${E2E_TASKS} tasks) from a patcher process ` +
      `-> commit -> event log -> ${E2E_SOCKETS} sockets; publish time = just before the request; ` +
      `limit = bare publish at ${E2E_RATE}/s`,
  );
  const patches: PatchStats = { messageBytes: [], p50Ms: [], p99Ms: [] };
  const patcher = await startPatcher(backend, fixture);
  const e2e = await alternate(
    `end to end PATCH ${E2E_RATE}/s -> ${int.format(E2E_SOCKETS)} subs`,
    E2E_MUTATIONS,
    {
      hub: [hubFew, () => httpPatches(patcher, patches)],
      limit: [bareFew, () => barePaced(bench, E2E_RATE, E2E_MUTATIONS)],
    },
    latencyLine,
  );
  console.log(`  hub UPDATE_TASK message for a PATCH: ${median(patches.messageBytes)} bytes (limit: ${sample.length})`);
  await Promise.all([hubFew.stop({ cmd: "exit" }), bareFew.stop({ cmd: "exit" }), patcher.stop({ cmd: "exit" })]);

  console.log(
    `\nmemory: server RSS per idle subscribed socket, fresh server process per run, ` +
      `${MEMORY_PROCESSES} subscriber processes, hub sockets over ${MEMORY_ROOMS} rooms` +
      `${memorySockets < MEMORY_SOCKETS ? ` (capped at ${memorySockets} by the fd limit)` : ""}`,
  );
  const memory = await benchMemory(databaseUrl, fixture, memorySockets);

  console.log(
    `\nmedians of ${RUNS} runs, ratio = hub / limit (${((performance.now() - started) / 1000).toFixed(0)} s total):`,
  );
  console.log(throughputSummary(fanout));
  console.log(`  bound: hub by ${bound(fanout.hub)}; limit by ${bound(fanout.limit)}`);
  console.log(serverCostLine(fanout));
  console.log(latencySummary(latencyFew));
  console.log(latencySummary(latencyMany));
  console.log(latencySummary(e2e));
  // Entry 0 of the PATCH stats is the warm-up run.
  console.log(
    `  of which the PATCH response: p50 ${ms(median(patches.p50Ms.slice(1)))} p99 ${ms(median(patches.p99Ms.slice(1)))};` +
      ` server process ${cores(med(e2e.hub, (r) => r.serverCores))} cores busy at ${E2E_RATE} PATCH/s` +
      ` (limit: ${cores(med(e2e.limit, (r) => r.serverCores))})`,
  );
  console.log(memorySummary(memory));
  wsGoals({ fanout, latencyFew, latencyMany, e2e, memory });
  const kept = [fanout, latencyFew, latencyMany, e2e].flatMap((pair) => [...pair.hub, ...pair.limit]);
  const busy = kept.filter((run) => outsideCores(run) > OUTSIDE_LIMIT).length;
  console.log(
    `machine: ${retries.used} runs discarded and repeated for over ${OUTSIDE_LIMIT} cores busy outside the benchmark` +
      `${busy > 0 ? `; ${busy} kept runs still busy (retries exhausted), their figures are disturbed` : ""}`,
  );
  if (anomalies.length > 0) {
    console.log("anomalies:");
    for (const anomaly of anomalies) console.log(`  ${anomaly}`);
  } else {
    console.log("every delivery arrived exactly once, in order, on every socket");
  }
}

function wsGoals(pairs: {
  fanout: Pair;
  latencyFew: Pair;
  latencyMany: Pair;
  e2e: Pair;
  memory: Parameters<typeof memorySummary>[0];
}): void {
  const p99 = (runs: Run[]) => med(runs, (r) => r.p99Ms);
  const latencyRow = (pair: Pair) => {
    const ratio = p99(pair.hub) / p99(pair.limit);
    return {
      name: `${pair.name}, p99`,
      figure: ms(p99(pair.hub)),
      limit: `${ms(p99(pair.limit))} (database path)`,
      ratio,
      goal: "<= 1.5x database-path limit",
      pass: ratio <= 1.5,
    };
  };
  const perDelivery = (runs: Run[]) => med(runs, (r) => (r.serverCpuSeconds / r.deliveries) * 1e6);
  const memoryHub = median(pairs.memory.hub.map((r) => r.perSocket));
  const memoryLimit = median(pairs.memory.limit.map((r) => r.perSocket));
  const hubConnect = connectRates.filter((c) => c.name.startsWith("hub"));
  const connect = median(hubConnect.map((c) => c.perSecond));
  const e2eP99 = p99(pairs.e2e.hub);
  printGoals(`goals (issue 16), medians of ${RUNS}; the machine was shared with other work:`, [
    {
      name: `${pairs.e2e.name}, p99`,
      figure: ms(e2eP99),
      limit: `${ms(p99(pairs.e2e.limit))} (bare publish)`,
      ratio: e2eP99 / p99(pairs.e2e.limit),
      goal: "p99 < 20 ms",
      pass: e2eP99 < 20,
    },
    latencyRow(pairs.latencyFew),
    latencyRow(pairs.latencyMany),
    {
      name: `${pairs.fanout.name}: server CPU per delivery`,
      // CPU seconds per million deliveries, i.e. microseconds per delivery.
      figure: `${perDelivery(pairs.fanout.hub).toFixed(2)} µs`,
      limit: `${perDelivery(pairs.fanout.limit).toFixed(2)} µs (database path)`,
      ratio: perDelivery(pairs.fanout.hub) / perDelivery(pairs.fanout.limit),
      goal: "- (reported)",
      pass: null,
    },
    {
      name: "idle subscribed socket, server RSS",
      figure: `${(memoryHub / 1024).toFixed(1)} KiB`,
      limit: `${(memoryLimit / 1024).toFixed(1)} KiB (raw)`,
      ratio: memoryHub / memoryLimit,
      goal: "<= 3x raw RSS per socket",
      pass: memoryHub / memoryLimit <= 3,
    },
    {
      name: "connect + subscribe (hub subscriber processes, 64 in flight)",
      figure: `${int.format(connect)} sockets/s`,
      limit: "-",
      ratio: null,
      goal: ">= 2,000 sockets/s",
      pass: connect >= 2000,
    },
  ]);
}

await runBench(main);
