import { join } from "node:path";
import { Webhooks } from "@octokit/webhooks";
import examples from "@octokit/webhooks-examples";
import { connect, type DbHandle, schema } from "@tandem/database";
import { type GithubApi, linkRepo } from "@tandem/domain";
import { createTestOrg, NO_GITHUB, systemCtx, uniqueSuffix } from "@tandem/domain/testing";
import { DEV_ENCRYPTION_KEY } from "@tandem/util/server";
import { spawnService } from "@tandem/util/spawn";
import type { Subprocess } from "bun";
import { loadWorkerEnv } from "../src/env.ts";
import { type RunningWorker, startWorker } from "../src/server.ts";

/** The GitHub App's webhook secret (App mode, `POST /webhooks/github`). */
export const WEBHOOK_SECRET = "test-app-webhook-secret";

/** A link's own delivery target: GitHub's Payload URL path and Secret for it. */
export type HookTarget = { id: string; secret: string };
/** The hook GitHub would have for each linked repository name (the latest link made in tests). */
const hooks = new Map<string, HookTarget>();

export type WorkerHarness = { worker: RunningWorker; handle: DbHandle; stop: () => Promise<void> };

export async function startTestWorker(
  extra: Record<string, string> = {},
  options: Parameters<typeof startWorker>[1] = {},
): Promise<WorkerHarness> {
  const env = loadWorkerEnv({
    DATABASE_URL: process.env.DATABASE_URL,
    PORT: "0",
    GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
    JOB_RETRY_DELAY_SECONDS: "1",
    JOB_RETRY_BACKOFF: "false",
    GITHUB_PACING_MS: "0",
    LOG_LEVEL: "error",
    ...extra,
  });
  const worker = await startWorker(env, options);
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

/**
 * An org that links a repository of its own (so tests never see each other's deliveries); its
 * hook is remembered, so `deliver` sends that repository's payloads to the link's URL.
 */
export async function linkedOrg(
  handle: DbHandle,
  prefix = "ENG",
  options: { repoName?: string; token?: string; encryptionKey?: string; api?: GithubApi } = {},
) {
  const userId = `usr_${uniqueSuffix()}`;
  await handle.db.insert(schema.user).values({ id: userId, name: "Owner", email: `${userId}@example.test` });
  const org = await createTestOrg(handle.db, { ownerId: userId, prefix });
  const ctx = await systemCtx(handle.db, org.id, {
    services: {
      encryptionKey: options.encryptionKey ?? DEV_ENCRYPTION_KEY,
      github: { webhookBaseUrl: "http://worker.test", api: options.api ?? NO_GITHUB },
    },
  });
  const repoName = options.repoName ?? `octo/repo-${uniqueSuffix()}`;
  const repo = await linkRepo({
    ctx,
    input: { fullName: repoName, ...(options.token ? { token: options.token } : {}) },
  });
  const hook = { id: repo.id, secret: repo.webhookSecret };
  hooks.set(repoName.toLowerCase(), hook);
  return { org, repo, userId, repoName, hook };
}

/** Links one more repository of its own to an org made by `linkedOrg` (its hook remembered too). */
export async function linkAnotherRepo(handle: DbHandle, orgId: string) {
  const ctx = await systemCtx(handle.db, orgId, {
    services: { encryptionKey: DEV_ENCRYPTION_KEY, github: { webhookBaseUrl: "http://worker.test", api: NO_GITHUB } },
  });
  const repoName = `octo/repo-${uniqueSuffix()}`;
  const repo = await linkRepo({ ctx, input: { fullName: repoName } });
  hooks.set(repoName.toLowerCase(), { id: repo.id, secret: repo.webhookSecret });
  return { repo, repoName };
}

/** A real example payload of `event`/`action` from @octokit/webhooks-examples, deep-copied. */
export function example(event: string, action: string): Record<string, any> {
  const group = examples.find((entry) => entry.name === event);
  const found = group?.examples.find((payload) => (payload as { action?: string }).action === action);
  if (!found) throw new Error(`no example for ${event}.${action}`);
  return structuredClone(found) as Record<string, any>;
}

/**
 * Sends a delivery the way GitHub would: to the hook of the payload's repository (its link's
 * URL, signed with its secret) unless `to` names another hook, or `to: "app"` for App mode.
 */
export async function deliver(
  worker: Pick<RunningWorker, "url">,
  event: string,
  payload: unknown,
  options: { deliveryId?: string; signature?: string | null; to?: HookTarget | "app"; body?: string } = {},
) {
  const body = options.body ?? JSON.stringify(payload);
  const deliveryId = options.deliveryId ?? crypto.randomUUID();
  const repository = (payload as { repository?: { full_name?: string } } | null)?.repository?.full_name ?? "";
  const to = options.to ?? hooks.get(repository.toLowerCase()) ?? "app";
  const signer = new Webhooks({ secret: to === "app" ? WEBHOOK_SECRET : to.secret });
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": deliveryId,
  };
  const signature = options.signature === undefined ? await signer.sign(body) : options.signature;
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  const path = to === "app" ? "/webhooks/github" : `/webhooks/github/${to.id}`;
  const response = await fetch(`${worker.url}${path}`, { method: "POST", headers, body });
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

/** Polls `check` until it returns something truthy (a barrier on a condition, with a deadline). */
export async function until<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await Bun.sleep(50);
  }
}

/**
 * Workers as their own processes, the way `bun run start` runs them (`start(env)`), for tests
 * that kill one; `killAll` SIGKILLs whatever is left (call it in afterAll).
 */
export function workerProcesses() {
  const running: Subprocess[] = [];
  return {
    start: async (env: Record<string, string>) => {
      const started = await spawnService({
        command: ["bun", "src/index.ts"],
        cwd: join(import.meta.dir, ".."),
        // "worker listening" (what readiness waits on) is an info line.
        env: { PORT: "0", ...env, LOG_LEVEL: "info" },
        ready: /"url":"(http:\/\/[^"]+)".*?"msg":"worker listening"/,
      });
      running.push(started.proc);
      if (!started.url) throw new Error(started.output);
      return { ...started, url: started.url };
    },
    killAll: () => {
      for (const proc of running) proc.kill("SIGKILL");
    },
  };
}
