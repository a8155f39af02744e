import { connect, isEmbeddedUrl, runMigrations } from "@tandem/database";
import {
  DEFAULT_WEBHOOK_NETWORK,
  failDeadImport,
  ignoreCommits,
  noteImportAttemptFailed,
  partialServices,
  type Resolver,
  runImport,
} from "@tandem/domain";
import { startTelemetry, withTraceContext } from "@tandem/opentelemetry";
import { deadLetterOf, type PgBoss, QUEUES, startQueue } from "@tandem/queue";
import { createLogger } from "@tandem/util/server";
import { runGrouped } from "./drain.ts";
import type { WorkerEnv } from "./env.ts";
import { workerHttp } from "./http.ts";
import { type GithubEventJob, markDead, processGithubEvent, recordFailure, rootMessage } from "./jobs.ts";
import { followOutbound, type OutboundJob, runOutbound } from "./outbound.ts";
import { receiveRoutes } from "./receive.ts";
import { reconcile } from "./reconcile.ts";
import { startWebhookSender } from "./webhooks.ts";

export type RunningWorker = { url: string; queue: PgBoss; stop: () => Promise<void> };

/** Boots the worker: migrations, the durable queue and its consumers, the webhook endpoint. */
export async function startWorker(
  env: WorkerEnv,
  /** Tests stage DNS answers (rebinding) for the webhook sender; the system resolver otherwise. */
  options: { resolve?: Resolver } = {},
): Promise<RunningWorker> {
  const logger = createLogger({ service: "worker" }, env.LOG_LEVEL);
  const stopTelemetry = startTelemetry({ serviceName: "tandem-worker", endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT });
  await runMigrations(env.DATABASE_URL);
  const handle = connect(env.DATABASE_URL, {
    applicationName: "tandem-worker",
    timeouts: {
      statementMs: env.DB_STATEMENT_TIMEOUT_MS,
      lockMs: env.DB_LOCK_TIMEOUT_MS,
      idleInTransactionMs: env.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
    onAvailabilityChange: (up) =>
      up ? logger.info("database available again") : logger.warn("database unavailable: answering 503"),
  });
  const queue = await startQueue({
    connectionString: env.DATABASE_URL,
    embedded: isEmbeddedUrl(env.DATABASE_URL),
    attempts: env.JOB_ATTEMPTS,
    retryDelaySeconds: env.JOB_RETRY_DELAY_SECONDS,
    backoff: env.JOB_RETRY_BACKOFF,
    expireInSeconds: env.JOB_EXPIRE_SECONDS,
    superviseIntervalSeconds: env.QUEUE_SUPERVISE_SECONDS,
    logger,
  });
  // The verbs' infrastructure in this process: the sync verbs use none of it (no files, no
  // GitHub calls, no queue of the backend's); the key is given so nothing here lacks it.
  const webhookNetwork = {
    allowPrivateNetworks: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    resolve: options.resolve ?? DEFAULT_WEBHOOK_NETWORK.resolve,
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
  };
  const services = partialServices({ encryptionKey: env.ENCRYPTION_KEY, webhooks: webhookNetwork });
  const sync = { handle, services, logger };
  // Batches, fetched back to back while they come back full: a backlog drains at the speed
  // of the sync, not one job per polling interval. Each job succeeds or fails on its own, in
  // arrival order within its repository link, JOB_CONCURRENCY links at a time (the final state
  // does not depend on the order: every field compares GitHub's time).
  const arrival = (job: { data: GithubEventJob }) => job.data.receivedAt ?? "";
  const eventWorker = await queue.work<GithubEventJob>(
    QUEUES.githubEvent,
    { pollingIntervalSeconds: 0.5, batchSize: Math.max(20, env.JOB_CONCURRENCY * 5), burstWhenBatchFull: true },
    (jobs) =>
      runGrouped(
        [...jobs].sort((a, b) => arrival(a).localeCompare(arrival(b))),
        { concurrency: env.JOB_CONCURRENCY, groupOf: (job) => job.data.linkId ?? job.data.deliveryId },
        async (job) => {
          try {
            // The job continues the trace of the request that queued it.
            await withTraceContext(job.data.trace, () => processGithubEvent(sync, job.data));
            await queue.complete(QUEUES.githubEvent, job.id);
          } catch (error) {
            logger.warn("delivery failed; will retry", { deliveryId: job.data.deliveryId, error: String(error) });
            await recordFailure(handle, job.data, error).catch(() => {});
            await queue.fail(QUEUES.githubEvent, job.id, { message: String(error) });
          }
        },
      ),
  );
  await queue.work<GithubEventJob>(deadLetterOf(QUEUES.githubEvent), { pollingIntervalSeconds: 1 }, async ([job]) => {
    if (!job) return;
    logger.error("delivery dead-lettered", { deliveryId: job.data.deliveryId, event: job.data.event });
    await markDead(handle, job.data);
  });
  const github = { apiUrl: env.GITHUB_API_URL, pacingMs: env.GITHUB_PACING_MS, encryptionKey: env.ENCRYPTION_KEY };
  await queue.work<OutboundJob & { trace?: Record<string, string> }>(
    QUEUES.githubOutbound,
    { pollingIntervalSeconds: 0.5 },
    async ([job]) => {
      if (job) await withTraceContext(job.data.trace, () => runOutbound(handle, github, job.data));
    },
  );
  await queue.work<{ repoId?: string; trace?: Record<string, string> }>(
    QUEUES.githubReconcile,
    { pollingIntervalSeconds: 1 },
    async ([job]) => {
      // A resync asked for in the API continues that request's trace.
      await withTraceContext(job?.data.trace, () => reconcile(sync, github, job?.data ?? {}));
    },
  );
  await queue.schedule(QUEUES.githubReconcile, env.RECONCILE_CRON, {});
  // Imports run in slices of half the job's expiry, each slice queueing the next, so a live
  // import never looks lost; a worker that dies mid-slice has its job retried, which resumes
  // after the last committed batch (what each batch wrote is recorded with it).
  const importCtx = { db: handle.db, notify: ignoreCommits, services };
  const sliceMs = (env.JOB_EXPIRE_SECONDS * 1000) / 2;
  await queue.work<{ orgId: string; importId: string }>(
    QUEUES.dataImport,
    { pollingIntervalSeconds: 0.5 },
    async ([job]) => {
      if (!job) return;
      try {
        const outcome = await runImport({ ctx: importCtx, input: { ...job.data, budgetMs: sliceMs } });
        if (outcome === "more") await queue.send(QUEUES.dataImport, job.data);
      } catch (error) {
        logger.warn("import attempt failed; will retry", { importId: job.data.importId, error: String(error) });
        const message = rootMessage(error);
        await noteImportAttemptFailed({ ctx: importCtx, input: { ...job.data, message } }).catch(() => {});
        throw error;
      }
    },
  );
  // Out of retries: the import is marked failed (with the last reason) rather than left running.
  await queue.work<{ orgId: string; importId: string }>(
    deadLetterOf(QUEUES.dataImport),
    { pollingIntervalSeconds: 1 },
    async ([job]) => {
      if (!job) return;
      logger.error("import dead-lettered", { importId: job.data.importId });
      await failDeadImport({ ctx: importCtx, input: { ...job.data, attempts: env.JOB_ATTEMPTS } });
    },
  );
  let following = false;
  const outboundTimer = setInterval(async () => {
    if (following) return;
    following = true;
    await followOutbound(handle, queue, logger)
      .catch((error) => logger.error("outbound follow failed", { error: String(error) }))
      .finally(() => {
        following = false;
      });
  }, env.OUTBOUND_POLL_MS);

  const webhookSender = await startWebhookSender({
    handle,
    databaseUrl: env.DATABASE_URL,
    services,
    logger,
    config: {
      network: webhookNetwork,
      encryptionKey: env.ENCRYPTION_KEY,
      retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
      retryWindowMs: env.WEBHOOK_RETRY_WINDOW_MS,
      concurrency: env.WEBHOOK_CONCURRENCY,
      pollMs: env.WEBHOOK_POLL_MS,
      listen: !isEmbeddedUrl(env.DATABASE_URL),
    },
  });

  const app = workerHttp({ availability: handle.availability, logger }).route(
    "/",
    receiveRoutes({
      handle,
      queue,
      appSecret: env.GITHUB_WEBHOOK_SECRET,
      encryptionKey: env.ENCRYPTION_KEY,
      maxBytes: env.MAX_WEBHOOK_BYTES,
      logger,
      // Received here, applied here: wake the worker instead of waiting for its next poll.
      onQueued: () => queue.notifyWorker(eventWorker),
    }),
  );
  const server = Bun.serve({
    port: env.WORKER_PORT,
    hostname: "0.0.0.0",
    fetch: app.fetch,
    maxRequestBodySize: env.MAX_WEBHOOK_BYTES + 1024,
  });
  const url = `http://localhost:${server.port}`;
  if (!env.ENCRYPTION_KEY) logger.warn("ENCRYPTION_KEY is unset: no link's webhook secret can be opened");
  logger.info("worker listening", { url });
  return {
    url,
    queue,
    /** Graceful: stop taking webhooks, let the current job finish, then close. */
    stop: async () => {
      clearInterval(outboundTimer);
      await webhookSender.stop();
      await server.stop();
      await queue.stop({ graceful: true, timeout: 30_000 });
      await stopTelemetry();
      await handle.close();
    },
  };
}
