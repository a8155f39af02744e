/**
 * Outbound webhook benchmark against real Postgres: `bun run bench:webhooks-out`.
 *
 * Subject: the real worker (apps/worker startWorker, in this process) following the event log
 * of one org with 10 endpoints, each a Bun.serve receiver on loopback (in this process too, so
 * one clock stamps commit and receipt). 1,000 events (CREATE_LABEL, through the domain verb,
 * one after another as fast as they commit) → 10,000 signed deliveries, each endpoint in seq
 * order. Measured: deliveries/s (first commit → last receipt) and event → receipt latency
 * (commit of the event's transaction → the receiver has the request) p50/p99.
 * Baseline, same run, same receivers: a bare loop per endpoint that signs each body with
 * `standardwebhooks` and POSTs it with fetch, one at a time (the order constraint), 10 loops
 * at once: the floor of a signed POST on this machine (per-request latency p50/p99).
 *
 * DATABASE_URL: use that database. Unset: a fresh `tandem_bench_<timestamp>` dropped at the end.
 */
import type { TWebhook } from "@tandem/contracts";
import { connect, type DbHandle, runMigrations, schema } from "@tandem/database";
import { createLabel, createWebhook, DEFAULT_WEBHOOK_NETWORK, updateWebhook } from "@tandem/domain";
import { createTestOrg, systemCtx } from "@tandem/domain/testing";
import { DEV_ENCRYPTION_KEY } from "@tandem/util/server";
import { Webhook } from "standardwebhooks";
import { loadWorkerEnv } from "../apps/worker/src/env.ts";
import { startWorker } from "../apps/worker/src/server.ts";
import { cleanups, prepareDatabase, runBench } from "./lifecycle.ts";
import { percentile } from "./stats.ts";

const EVENTS = 1000;
const ENDPOINTS = 10;

const pct = (values: number[], q: number) => percentile(Float64Array.from(values).sort(), q);
const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "n/a");

type Receipt = { name: string; at: number };

function receivers() {
  return Array.from({ length: ENDPOINTS }, () => {
    const got: Receipt[] = [];
    const server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: async (request) => {
        const body = (await request.json()) as { data: { label?: { name: string } } };
        got.push({ name: body.data.label?.name ?? "", at: performance.now() });
        return new Response(null, { status: 204 });
      },
    });
    cleanups.push(async () => server.stop(true));
    return { got, url: `http://127.0.0.1:${server.port}/hook` };
  });
}

async function startSubject(databaseUrl: string) {
  const env = loadWorkerEnv({
    DATABASE_URL: databaseUrl,
    PORT: "0",
    NODE_ENV: "test",
    LOG_LEVEL: "error",
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
    WEBHOOK_CONCURRENCY: String(ENDPOINTS),
  });
  const worker = await startWorker(env);
  cleanups.push(() => worker.stop());
  const handle = connect(databaseUrl, { applicationName: "bench-webhooks-out" });
  cleanups.push(() => handle.close());
  return handle;
}

/** An org with ten endpoints (one receiver each), and a way to write its events. */
async function benchOrg(handle: DbHandle, enabled: boolean) {
  const id = `usr_bench_${crypto.randomUUID().slice(0, 8)}`;
  await handle.db.insert(schema.user).values({ id, name: "Bench", email: `${id}@example.test` });
  const org = await createTestOrg(handle.db, { ownerId: id, prefix: "BEN" });
  const ctx = await systemCtx(handle.db, org.id, {
    services: {
      encryptionKey: DEV_ENCRYPTION_KEY,
      webhooks: { ...DEFAULT_WEBHOOK_NETWORK, allowPrivateNetworks: true },
    },
  });
  const inboxes = receivers();
  const hooks: TWebhook[] = [];
  for (const inbox of inboxes) {
    hooks.push(
      (await createWebhook({ ctx, input: { url: inbox.url, events: ["*"], projectId: null, enabled } })).webhook,
    );
  }
  const committed = new Map<string, number>();
  return {
    inboxes,
    committed,
    /** Writes the events one after another, as fast as they commit; answers the rate (events/s). */
    write: async () => {
      const started = performance.now();
      for (let i = 0; i < EVENTS; i++) {
        const name = `bench-${i}`;
        await createLabel({ ctx, input: { name, color: "#336699" } });
        committed.set(name, performance.now());
      }
      return EVENTS / ((performance.now() - started) / 1000);
    },
    enableAll: () =>
      Promise.all(hooks.map((hook) => updateWebhook({ ctx, input: { webhookId: hook.id, patch: { enabled: true } } }))),
  };
}

async function received(inboxes: ReturnType<typeof receivers>) {
  const deadline = Date.now() + 180_000;
  while (inboxes.some((inbox) => inbox.got.length < EVENTS) && Date.now() < deadline) await Bun.sleep(10);
  const receipts = inboxes.flatMap((inbox) => inbox.got);
  const ordered = inboxes.every((inbox) =>
    inbox.got.every((r, i) => i === 0 || Number(r.name.slice(6)) > Number(inbox.got[i - 1]?.name.slice(6))),
  );
  return { receipts, last: Math.max(...receipts.map((r) => r.at)), ordered };
}

/** Live: the worker follows the events as they are written; latency is commit → receipt. */
async function live(handle: DbHandle) {
  const org = await benchOrg(handle, true);
  const started = performance.now();
  const writeRate = await org.write();
  const { receipts, last, ordered } = await received(org.inboxes);
  const latencies = receipts.map((r) => r.at - (org.committed.get(r.name) ?? Number.NaN));
  return {
    delivered: receipts.length,
    perSecond: receipts.length / ((last - started) / 1000),
    writeRate,
    p50: pct(latencies, 0.5),
    p99: pct(latencies, 0.99),
    ordered,
  };
}

/** Backlog: the events are written with the endpoints off, then all ten are turned on at once. */
async function backlog(handle: DbHandle) {
  const org = await benchOrg(handle, false);
  await org.write();
  const started = performance.now();
  await org.enableAll();
  const { receipts, last, ordered } = await received(org.inboxes);
  return { delivered: receipts.length, perSecond: receipts.length / ((last - started) / 1000), ordered };
}

async function baseline() {
  const inboxes = receivers();
  const secret = `whsec_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`;
  const signer = new Webhook(secret);
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    inboxes.map(async (inbox) => {
      for (let i = 0; i < EVENTS; i++) {
        const body = JSON.stringify({
          type: "CREATE_LABEL",
          data: { label: { name: `bench-${i}` } },
          meta: { seq: i },
        });
        const id = `msg_${i}`;
        const at = new Date();
        const sent = performance.now();
        const response = await fetch(inbox.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "webhook-id": id,
            "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
            "webhook-signature": signer.sign(id, at, body),
          },
          body,
        });
        await response.arrayBuffer();
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: (EVENTS * ENDPOINTS) / seconds, p50: pct(latencies, 0.5), p99: pct(latencies, 0.99) };
}

await runBench(async () => {
  const databaseUrl = await prepareDatabase();
  await runMigrations(databaseUrl);
  const bare = await baseline();
  const handle = await startSubject(databaseUrl);
  const drained = await backlog(handle);
  const run = await live(handle);
  console.log(`\nOutbound webhooks: ${EVENTS} events × ${ENDPOINTS} endpoints on loopback\n`);
  console.log("| | deliveries/s | latency p50 (ms) | latency p99 (ms) |");
  console.log("|---|---|---|---|");
  console.log(`| bare signing POST loop (10 loops) | ${fmt(bare.perSecond)} | ${fmt(bare.p50)} | ${fmt(bare.p99)} |`);
  console.log(`| worker, backlog drain (10 endpoints at once) | ${fmt(drained.perSecond)} | – | – |`);
  console.log(`| worker, live: event commit → receipt | ${fmt(run.perSecond)} | ${fmt(run.p50)} | ${fmt(run.p99)} |`);
  console.log(
    `\ndelivered ${drained.delivered} + ${run.delivered} of ${2 * EVENTS * ENDPOINTS}; in seq order per endpoint: ${drained.ordered && run.ordered}; live events written at ${fmt(run.writeRate)}/s (the live rate is bounded by it)`,
  );
});
