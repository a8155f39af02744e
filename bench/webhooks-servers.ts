/** The webhook benchmark's servers: the worker under test, its GitHub API stub, the linked org and the bare baseline. */
import { type DbHandle, schema } from "@tandem/database";
import { linkRepo } from "@tandem/domain";
import { createTestOrg, systemCtx, uniqueSuffix } from "@tandem/domain/testing";
import { DEV_ENCRYPTION_KEY } from "@tandem/util/server";
import { loadWorkerEnv } from "../apps/worker/src/env.ts";
import { type RunningWorker, startWorker } from "../apps/worker/src/server.ts";
import { cleanups } from "./lifecycle.ts";
import { webhooksFor } from "./webhooks-octokit.ts";

/** The worker as apps/worker/src/index.ts boots it; `startWorker` also runs the migrations. */
export async function startSubject(databaseUrl: string, githubApiUrl: string): Promise<RunningWorker> {
  const env = loadWorkerEnv({
    DATABASE_URL: databaseUrl,
    GITHUB_API_URL: githubApiUrl,
    PORT: "0",
    // Per-delivery info lines would be the benchmark's bottleneck.
    LOG_LEVEL: "warn",
  });
  const worker = await startWorker(env);
  cleanups.push(() => worker.stop());
  return worker;
}

/**
 * GitHub's REST API for the worker's reconcile job (it lists a linked repo's issues on its
 * schedule): answered locally with no issues, so the benchmark neither calls github.com nor
 * logs and retries failed calls where there is no network.
 */
export function startGithubStub(): { url: string; calls: () => number } {
  let calls = 0;
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: (request) => {
      calls += 1;
      return request.method === "GET" ? Response.json([]) : Response.json({ message: "Not Found" }, { status: 404 });
    },
  });
  cleanups.push(() => server.stop(true));
  return { url: `http://127.0.0.1:${server.port}`, calls: () => calls };
}

/** An org linking a repository of its own, as apps/worker/test/harness.ts `linkedOrg` does: deliveries go to the link's URL, signed with its secret. */
export async function linkedOrg(
  handle: DbHandle,
): Promise<{ orgId: string; repoName: string; linkId: string; secret: string }> {
  const userId = `usr_${uniqueSuffix()}`;
  await handle.db.insert(schema.user).values({ id: userId, name: "Bench owner", email: `${userId}@example.test` });
  const org = await createTestOrg(handle.db, { ownerId: userId, prefix: "GH", name: "Bench webhooks" });
  const ctx = await systemCtx(handle.db, org.id, {
    services: {
      encryptionKey: DEV_ENCRYPTION_KEY,
      github: {
        webhookBaseUrl: "http://127.0.0.1",
        api: {
          repoAccess: async () => ({ ok: false, reason: "denied" }),
          installation: null,
          userInstallations: async () => ({ ok: false, reason: "denied" }),
        },
      },
    },
  });
  const repoName = `octo/bench-${uniqueSuffix()}`;
  const link = await linkRepo({ ctx, input: { fullName: repoName } });
  return { orgId: org.id, repoName, linkId: link.id, secret: link.webhookSecret };
}

/** Verify with the same library as the worker, answer 202: the receive path minus Hono, Postgres and the queue. */
export async function startBaseline(secret: string): Promise<ReturnType<typeof Bun.serve>> {
  const webhooks = await webhooksFor(secret);
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: async (request) => {
      const raw = await request.text();
      const signature = request.headers.get("x-hub-signature-256") ?? "";
      const valid = signature !== "" && (await webhooks.verify(raw, signature).catch(() => false));
      if (!valid) return Response.json({ error: { code: "UNAUTHORIZED" } }, { status: 401 });
      const deliveryId = request.headers.get("x-github-delivery") ?? "";
      return Response.json({ status: "queued", deliveryId }, { status: 202 });
    },
  });
  cleanups.push(() => server.stop(true));
  return server;
}
