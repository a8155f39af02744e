/**
 * Across instances (issue 16 item 15): `bun run bench:instances`.
 *
 * Four backend processes (ws-server.ts, the real backend and hub) on one database, 25 sockets
 * subscribed to one org's room on each (100 in all, in one subscriber process per instance).
 * An appender process (ws-appender.ts) writes 200 events/s, one transaction each, as a worker
 * or any of the instances would; every instance learns of each event through NOTIFY, reads it
 * back and publishes it to its sockets. Per run (a warm-up, then 3): fan-out p50/p99 per
 * instance (publish time taken just before the append transaction), the database work per
 * event per instance, and each instance's CPU:
 *   - event-log reads: scans of the `event` table (pg_stat_user_tables idx_scan + seq_scan),
 *   - transactions: xact_commit of the database (statements outside a transaction count one each),
 * minus what the same appends cost with no instance subscribed (measured first).
 *
 * DATABASE_URL: use that database. Unset: a scratch `tandem_bench_<timestamp>` is created and dropped.
 */
import { readFileSync } from "node:fs";
import { connect, type DbHandle, runMigrations } from "@tandem/database";
import { printGoals } from "./goals.ts";
import { cleanups, prepareDatabase, runBench } from "./lifecycle.ts";
import { median } from "./stats.ts";
import { seed, startAppender, startBackend, startSubscribers, titleLength } from "./ws-backend.ts";
import { anomalies, BARE_TOPIC, int, ms, SECRET, SERVER_SCRIPT, type ServerChild, WEB_ORIGIN } from "./ws-config.ts";
import { problems } from "./ws-measure.ts";
import { Child, type ServerCommand, type ServerConfig, type ServerReport, type WindowResult } from "./ws-protocol.ts";

const INSTANCES = 4;
const SOCKETS_PER_INSTANCE = 25;
const RATE = 200;
const EVENTS = 600;
const RUNS = 3;
// Postgres flushes a backend's table statistics at most once a second.
const STATS_SETTLE_MS = 1_500;

type DbCounters = { scans: number; commits: number };

async function counters(handle: DbHandle): Promise<DbCounters> {
  await Bun.sleep(STATS_SETTLE_MS);
  await handle.sql`select pg_stat_clear_snapshot()`;
  const [row] = await handle.sql<{ scans: string; commits: string }[]>`
    select (select coalesce(seq_scan, 0) + coalesce(idx_scan, 0) from pg_stat_user_tables where relname = 'event')::text as scans,
           (select xact_commit from pg_stat_database where datname = current_database())::text as commits`;
  return { scans: Number(row?.scans ?? 0), commits: Number(row?.commits ?? 0) };
}

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

type Run = { results: WindowResult[]; scans: number; commits: number; cores: number[]; appendRate: number };

async function main(): Promise<void> {
  const started = performance.now();
  const databaseUrl = await prepareDatabase();
  console.log(`database: ${new URL(databaseUrl).pathname.slice(1)}`);
  await runMigrations(databaseUrl);
  const monitor = connect(databaseUrl, { max: 1, applicationName: "tandem-bench-monitor" });
  cleanups.push(() => monitor.close());
  // Used only to sign the bench user up and seed; it has no socket, so its hub sends nothing.
  const seeder = await startBackend(databaseUrl);
  const fixture = await seed(seeder);
  const appender = startAppender(databaseUrl, titleLength(fixture.orgId));
  const append = async () => {
    appender.send({ cmd: "run", orgId: fixture.orgId, count: EVENTS, rate: RATE, inFlight: 1 });
    const done = await appender.next("done", 120_000);
    if (done.errors > 0) anomalies.push(`appender: ${done.errors} failed, first: ${done.firstError}`);
    return done.appended / done.seconds;
  };

  // What the appends cost the database with no instance subscribed (and the seeding backend idle).
  const base0 = await counters(monitor);
  await append();
  const base1 = await counters(monitor);
  const baseline = { scans: (base1.scans - base0.scans) / EVENTS, commits: (base1.commits - base0.commits) / EVENTS };
  console.log(
    `no instance subscribed: ${baseline.scans.toFixed(2)} event-table scans and ${baseline.commits.toFixed(2)} commits per event`,
  );

  const servers: ServerChild[] = [];
  const groups = [];
  for (let i = 0; i < INSTANCES; i += 1) {
    const config: ServerConfig = { kind: "hub", databaseUrl, webOrigin: WEB_ORIGIN, secret: SECRET, topic: BARE_TOPIC };
    const server = Child.spawn<ServerReport, ServerCommand>(`instance ${i + 1}`, SERVER_SCRIPT, config);
    cleanups.push(() => server.stop({ cmd: "exit" }));
    const { url } = await server.next("listening", 60_000);
    servers.push(server);
    groups.push(
      await startSubscribers(`instance ${i + 1}`, url, SOCKETS_PER_INSTANCE, [fixture.orgId], fixture.cookie),
    );
  }
  console.log(
    `${INSTANCES} instances (pids ${servers.map((s) => s.pid).join(", ")}), ${SOCKETS_PER_INSTANCE} sockets each; ` +
      `${EVENTS} events per run at ${RATE}/s from the appender process`,
  );

  const runs: Run[] = [];
  for (let run = 0; run <= RUNS; run += 1) {
    for (const group of groups) group.send({ cmd: "arm", events: EVENTS, timeoutMs: 60_000 });
    await Promise.all(groups.map((group) => group.next("armed", 10_000)));
    const before = await counters(monitor);
    const cpuBefore = servers.map((s) => cpuSeconds(s.pid));
    const wallBefore = performance.now();
    const appendRate = await append();
    const results = await Promise.all(groups.map((group) => group.next("result", 70_000)));
    const wall = (performance.now() - wallBefore) / 1000;
    const cores = servers.map((s, i) => (cpuSeconds(s.pid) - (cpuBefore[i] ?? 0)) / wall);
    const after = await counters(monitor);
    results.forEach((result, i) => {
      problems(`run ${run} instance ${i + 1}`, result);
    });
    const r: Run = {
      results,
      scans: (after.scans - before.scans) / EVENTS - baseline.scans,
      commits: (after.commits - before.commits) / EVENTS - baseline.commits,
      cores,
      appendRate,
    };
    console.log(
      `  ${run === 0 ? "warm " : `run ${run}`} p99 per instance ${results.map((x) => ms(x.p99Ms)).join(", ")}` +
        `  p50 ${results.map((x) => ms(x.p50Ms)).join(", ")}  event reads/event/instance ${(r.scans / INSTANCES).toFixed(2)}` +
        `  commits/event/instance ${(r.commits / INSTANCES).toFixed(2)}  cpu ${cores.map((c) => c.toFixed(2)).join(", ")}` +
        `  appends ${int.format(appendRate)}/s`,
    );
    if (run > 0) runs.push(r);
  }

  const worstP99 = median(runs.map((r) => Math.max(...r.results.map((x) => x.p99Ms))));
  const reads = median(runs.map((r) => r.scans / INSTANCES));
  const commits = median(runs.map((r) => r.commits / INSTANCES));
  const cpu = median(runs.map((r) => r.cores.reduce((a, b) => a + b, 0) / INSTANCES));
  console.log(`\nmedians of ${RUNS} runs (${((performance.now() - started) / 1000).toFixed(0)} s total)`);
  printGoals("across instances (issue 16 item 15); the machine was shared with other work:", [
    {
      name: `fan-out p99, ${INSTANCES} instances x ${SOCKETS_PER_INSTANCE} sockets at ${RATE} events/s (worst instance)`,
      figure: ms(worstP99),
      limit: "-",
      ratio: null,
      goal: "- (measured to decide item 15)",
      pass: null,
    },
    {
      name: "event-log reads per event per instance",
      figure: reads.toFixed(2),
      limit: "-",
      ratio: null,
      goal: "-",
      pass: null,
    },
    {
      name: "transactions per event per instance",
      figure: commits.toFixed(2),
      limit: "-",
      ratio: null,
      goal: "-",
      pass: null,
    },
    { name: "CPU per instance (cores)", figure: cpu.toFixed(2), limit: "-", ratio: null, goal: "-", pass: null },
  ]);
  if (anomalies.length > 0) for (const anomaly of anomalies) console.log(`anomaly: ${anomaly}`);
  else console.log("every delivery arrived exactly once, in order, on every socket");
}

await runBench(main);
