import { Webhooks } from "@octokit/webhooks";
import examples from "@octokit/webhooks-examples";
import { connect, type DbHandle, schema } from "@tandem/database";
import { linkRepo } from "@tandem/domain";
import { createTestOrg, systemCtx, uniqueSuffix } from "@tandem/domain/testing";
import { loadWorkerEnv } from "../src/env.ts";
import { type RunningWorker, startWorker } from "../src/server.ts";

export const WEBHOOK_SECRET = "test-webhook-secret";
const signer = new Webhooks({ secret: WEBHOOK_SECRET });

export type WorkerHarness = { worker: RunningWorker; handle: DbHandle; stop: () => Promise<void> };

export async function startTestWorker(extra: Record<string, string> = {}): Promise<WorkerHarness> {
  const env = loadWorkerEnv({
    DATABASE_URL: process.env.DATABASE_URL,
    PORT: "0",
    GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
    JOB_RETRY_DELAY_SECONDS: "1",
    JOB_RETRY_BACKOFF: "false",
    LOG_LEVEL: "error",
    ...extra,
  });
  const worker = await startWorker(env);
  const handle = connect(env.DATABASE_URL, { applicationName: "worker-test" });
  return {
    worker,
    handle,
    stop: async () => {
      await worker.stop();
      await handle.close();
    },
  };
}

/** An org that links a repository of its own (so tests never see each other's deliveries). */
export async function linkedOrg(handle: DbHandle, prefix = "ENG") {
  const userId = `usr_${uniqueSuffix()}`;
  await handle.db.insert(schema.user).values({ id: userId, name: "Owner", email: `${userId}@example.test` });
  const org = await createTestOrg(handle.db, { ownerId: userId, prefix });
  const ctx = await systemCtx(handle.db, org.id);
  const repoName = `octo/repo-${uniqueSuffix()}`;
  const repo = await linkRepo({ ctx, input: { fullName: repoName, encryptionKey: undefined } });
  return { org, repo, userId, repoName };
}

/** A real example payload of `event`/`action` from @octokit/webhooks-examples, deep-copied. */
export function example(event: string, action: string): Record<string, any> {
  const group = examples.find((entry) => entry.name === event);
  const found = group?.examples.find((payload) => (payload as { action?: string }).action === action);
  if (!found) throw new Error(`no example for ${event}.${action}`);
  return structuredClone(found) as Record<string, any>;
}

export async function deliver(
  worker: RunningWorker,
  event: string,
  payload: unknown,
  options: { deliveryId?: string; signature?: string | null } = {},
) {
  const body = JSON.stringify(payload);
  const deliveryId = options.deliveryId ?? crypto.randomUUID();
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": deliveryId,
  };
  const signature = options.signature === undefined ? await signer.sign(body) : options.signature;
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  const response = await fetch(`${worker.url}/webhooks/github`, { method: "POST", headers, body });
  const json: any = await response.json().catch(() => null);
  return { status: response.status, body: json, deliveryId };
}

/** Waits until the delivery has been applied (or gave up). */
export async function settled(handle: DbHandle, deliveryId: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await handle.sql<{ status: string }[]>`select status from webhook_delivery where id = ${deliveryId}`;
    if (row && row.status !== "queued") return row.status;
    if (Date.now() > deadline) throw new Error(`delivery ${deliveryId} still ${row?.status ?? "missing"}`);
    await Bun.sleep(50);
  }
}
