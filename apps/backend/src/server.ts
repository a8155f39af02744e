import { join, resolve } from "node:path";
import { connect, isEmbeddedUrl, runMigrations } from "@tandem/database";
import { startEmbeddedDatabase } from "@tandem/database/embedded";
import { startTelemetry } from "@tandem/opentelemetry";
import { createLogger } from "@tandem/util/server";
import { composeBackend } from "./compose.ts";
import type { BackendEnv } from "./env.ts";
import { DEMO_USER, seedDemo } from "./seed.ts";

export type RunningBackend = { url: string; stop: () => Promise<void> };

/**
 * Boots the backend from a parsed environment: database (embedded when DATABASE_URL is
 * unset), migrations, auth, optional demo seed, HTTP server.
 */
export async function startBackend(env: BackendEnv): Promise<RunningBackend> {
  const logger = createLogger({ service: "backend" }, env.LOG_LEVEL);
  const stopTelemetry = startTelemetry({ serviceName: "tandem-backend", endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT });
  const embedded = env.DATABASE_URL ? null : await startEmbeddedDatabase({ dataDir: resolve(env.DATA_DIR) });
  const databaseUrl = env.DATABASE_URL ?? embedded?.url;
  if (!databaseUrl) throw new Error("no database");
  await runMigrations(databaseUrl);
  const handle = connect(databaseUrl, {
    applicationName: "tandem-backend",
    timeouts: {
      statementMs: env.DB_STATEMENT_TIMEOUT_MS,
      lockMs: env.DB_LOCK_TIMEOUT_MS,
      idleInTransactionMs: env.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
    onAvailabilityChange: (up) =>
      up ? logger.info("database available again") : logger.warn("database unavailable: answering 503"),
  });
  const backend = composeBackend({
    handle,
    databaseUrl,
    secret: env.BETTER_AUTH_SECRET,
    baseURL: env.BETTER_AUTH_URL,
    webOrigins: env.WEB_ORIGINS,
    logger,
    github:
      env.GITHUB_CLIENT_ID && env.GITHUB_CLIENT_SECRET
        ? { clientId: env.GITHUB_CLIENT_ID, clientSecret: env.GITHUB_CLIENT_SECRET }
        : undefined,
    maxBodyBytes: env.MAX_BODY_BYTES,
    importMaxBytes: env.IMPORT_MAX_BYTES,
    snapshotCacheBytes: env.SNAPSHOT_CACHE_MB * 1024 * 1024,
    trustProxy: env.TRUST_PROXY,
    publicRateLimit: env.PUBLIC_RATE_LIMIT,
    apiKeyRateLimit: env.API_KEY_RATE_LIMIT,
    credentialLimit: env.AUTH_CREDENTIAL_LIMIT,
    accountLimit: env.AUTH_ACCOUNT_LIMIT,
    encryptionKey: env.ENCRYPTION_KEY,
    webhooks: { allowPrivateNetworks: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS, timeoutMs: env.WEBHOOK_TIMEOUT_MS },
    githubSync: {
      apiUrl: env.GITHUB_API_URL,
      workerUrl: env.WORKER_PUBLIC_URL,
      app:
        env.GITHUB_APP_ID && env.GITHUB_APP_PRIVATE_KEY
          ? { appId: env.GITHUB_APP_ID, privateKey: env.GITHUB_APP_PRIVATE_KEY }
          : undefined,
    },
    storage: {
      url: env.STORAGE_URL,
      accessKey: env.STORAGE_ACCESS_KEY,
      secretKey: env.STORAGE_SECRET_KEY,
      bucket: env.STORAGE_BUCKET,
      localDir: join(resolve(env.DATA_DIR), "files"),
    },
    attachmentLimits: { maxBytes: env.ATTACHMENT_MAX_BYTES, orgQuotaBytes: env.ORG_STORAGE_QUOTA_BYTES },
    mail: { smtpUrl: env.SMTP_URL, from: env.EMAIL_FROM, outboxDir: join(resolve(env.DATA_DIR), "outbox") },
    hub: {
      pingIntervalMs: env.WS_PING_INTERVAL_MS,
      pongTimeoutMs: env.WS_PONG_TIMEOUT_MS,
      minMessageIntervalMs: env.WS_MIN_MESSAGE_INTERVAL_MS,
      maxOffences: env.WS_MAX_OFFENCES,
      maxReplayEvents: env.WS_MAX_REPLAY_EVENTS,
    },
    eventPollMs: env.EVENT_POLL_MS,
    notifier: {
      enabled: env.NOTIFIER_ENABLED,
      pollMs: env.NOTIFIER_POLL_MS,
      batchDelayMs: env.NOTIFIER_BATCH_DELAY_MS,
      collapseMs: env.NOTIFY_COLLAPSE_MS,
      emailBatchWindowMs: env.EMAIL_BATCH_WINDOW_MS,
    },
    orgWrites: {
      concurrency: env.ORG_WRITE_CONCURRENCY,
      maxQueued: env.ORG_WRITE_QUEUE,
      maxWaitMs: env.ORG_WRITE_WAIT_MS,
    },
  });
  if (env.SEED_DEMO ?? isEmbeddedUrl(databaseUrl)) {
    await seedDemo({ db: handle.db, auth: backend.auth, logger });
    logger.info(`demo sign-in: ${DEMO_USER.email} / ${DEMO_USER.password}`);
  }
  const running = await backend.serve({ port: env.BACKEND_PORT, hostname: "0.0.0.0" });
  logger.info("backend listening", { url: running.url, embedded: Boolean(embedded) });
  return {
    url: running.url,
    stop: async () => {
      await running.stop();
      await stopTelemetry();
      await handle.close();
      await embedded?.stop();
    },
  };
}
