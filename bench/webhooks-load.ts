/**
 * Open-loop webhook sender for bench/webhooks.ts, run as its own `bun` process so building,
 * sending and timing requests does not take turns on the worker's event loop.
 *
 * Sends `count` signed `issues` deliveries at `rate`/s on an absolute schedule (a slow answer
 * does not delay later sends, as with GitHub). Delivery i opens issue `firstNumber + i`, except
 * every `editEvery`-th, which edits the issue opened `editEvery - 1` deliveries before it.
 *
 * Protocol on stdout: `start` when the first delivery is about to go out (every body is built
 * and signed before, so the paced loop only sends), then one JSON line of WebhookLoadResult.
 */

import { percentile, processCpuSeconds } from "./stats.ts";
import { issuesExample, webhooksFor } from "./webhooks-octokit.ts";

export type WebhookLoadConfig = {
  /** POST target, e.g. http://127.0.0.1:1234/webhooks/github */
  url: string;
  secret: string;
  /** owner/name of the linked repository. */
  repoName: string;
  rate: number;
  count: number;
  firstNumber: number;
  editEvery: number;
  /** Prefix of every X-GitHub-Delivery, so the parent can find this run's rows. */
  tag: string;
};

export type WebhookLoadResult = {
  requests: number;
  opened: number;
  edited: number;
  errors: number;
  firstError: string | null;
  /** Date.now() of the first send, the last send and the last answer: compared with Postgres timestamps. */
  firstSentAt: number;
  lastSentAt: number;
  lastAckAt: number;
  /** Request start to 202 with its body read. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Worst lateness of a send against its schedule: large values would mean the client, not the server, is slow. */
  maxLagMs: number;
  meanBodyBytes: number;
  cpuCores: number;
  seconds: number;
};

type Delivery = { id: string; body: string; signature: string; edit: boolean };

function parseConfig(): WebhookLoadConfig {
  const raw = process.argv[2];
  if (!raw) throw new Error("usage: bun bench/webhooks-load.ts '<WebhookLoadConfig JSON>'");
  return JSON.parse(raw) as WebhookLoadConfig;
}

async function buildDeliveries(config: WebhookLoadConfig): Promise<Delivery[]> {
  const signer = await webhooksFor(config.secret);
  const opened = await issuesExample("opened");
  const edited = await issuesExample("edited");
  // Later edits must carry a later `updated_at`, or the sync rightly ignores them as stale.
  const base = Date.UTC(2026, 0, 1);
  const deliveries: Delivery[] = [];
  for (let i = 0; i < config.count; i += 1) {
    const edit = i % config.editEvery === config.editEvery - 1;
    const number = config.firstNumber + (edit ? i - (config.editEvery - 1) : i);
    const template = edit ? edited : opened;
    const payload = {
      ...template,
      repository: { ...template.repository, full_name: config.repoName },
      issue: {
        ...template.issue,
        number,
        // Distinct per issue: GitHub's issue id is global, the number is per repository.
        id: 900_000_000 + number,
        title: edit ? `Bench issue ${number} (edited)` : `Bench issue ${number}`,
        body: `Opened by bench/webhooks.ts, delivery ${i}`,
        updated_at: new Date(base + i * 1000).toISOString(),
      },
    };
    const body = JSON.stringify(payload);
    deliveries.push({ id: `${config.tag}-${crypto.randomUUID()}`, body, signature: await signer.sign(body), edit });
  }
  return deliveries;
}

async function main(): Promise<void> {
  const config = parseConfig();
  const deliveries = await buildDeliveries(config);
  const latencies = new Float64Array(deliveries.length);
  let ok = 0;
  let errors = 0;
  let firstError: string | null = null;
  let maxLagMs = 0;
  let lastAckAt = 0;

  const send = async (delivery: Delivery): Promise<void> => {
    const started = performance.now();
    try {
      const response = await fetch(config.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "GitHub-Hookshot/bench",
          "x-github-event": "issues",
          "x-github-delivery": delivery.id,
          "x-hub-signature-256": delivery.signature,
        },
        body: delivery.body,
      });
      // Read the whole answer: the request is not done for the sender until it has it.
      const text = await response.text();
      if (response.status !== 202) throw new Error(`${response.status} ${text.slice(0, 200)}`);
      latencies[ok] = performance.now() - started;
      ok += 1;
      lastAckAt = Date.now();
    } catch (cause) {
      errors += 1;
      firstError ??= String(cause);
    }
  };

  process.stdout.write("start\n");
  const cpuFrom = processCpuSeconds();
  const start = performance.now();
  const firstSentAt = Date.now();
  let lastSentAt = firstSentAt;
  const pending: Promise<void>[] = [];
  for (const [i, delivery] of deliveries.entries()) {
    const due = start + (i * 1000) / config.rate;
    const wait = due - performance.now();
    if (wait > 0) await Bun.sleep(wait);
    maxLagMs = Math.max(maxLagMs, performance.now() - due);
    lastSentAt = Date.now();
    pending.push(send(delivery));
  }
  await Promise.all(pending);
  const seconds = (performance.now() - start) / 1000;
  const sorted = latencies.subarray(0, ok).sort();
  const edited = deliveries.filter((d) => d.edit).length;
  const result: WebhookLoadResult = {
    requests: ok,
    opened: deliveries.length - edited,
    edited,
    errors,
    firstError,
    firstSentAt,
    lastSentAt,
    lastAckAt,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
    maxLagMs,
    meanBodyBytes: deliveries.reduce((sum, d) => sum + Buffer.byteLength(d.body), 0) / deliveries.length,
    cpuCores: (processCpuSeconds() - cpuFrom) / seconds,
    seconds,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
