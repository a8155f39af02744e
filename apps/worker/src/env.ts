import { encryptionKeyOrDev, parseEnv, ZEncryptionKey, ZLogLevel } from "@tandem/util/server";
import { z } from "zod";

export const ZWorkerEnv = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    /** Postgres (the same database as the backend). `bun run dev` provides the embedded one. */
    DATABASE_URL: z.url({ message: "is required (the backend's database)" }),
    /** Listen port; unset → PORT → 5469. */
    WORKER_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
    /** The port a container or platform assigns (used when WORKER_PORT is unset). */
    PORT: z.coerce.number().int().min(0).max(65_535).optional(),
    /**
     * GitHub App mode: the App's webhook secret. Its deliveries (`POST /webhooks/github`) reach
     * only the org that claimed their installation. Unset: only per-link URLs take deliveries.
     */
    GITHUB_WEBHOOK_SECRET: z.string().optional(),
    GITHUB_API_URL: z.url().default("https://api.github.com"),
    /** Writes to GitHub are spaced by this (ms); transient failures retried after 1×, then 4× it. */
    GITHUB_PACING_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    /** 32 bytes, base64 (the backend's): opens the sealed tokens and webhook secrets of repo links. */
    ENCRYPTION_KEY: ZEncryptionKey.optional(),
    /** Attempts per job before it goes to the dead-letter queue, and the first retry delay (s). */
    JOB_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
    JOB_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).default(2),
    /** Exponential backoff between retries (off: a fixed delay). */
    JOB_RETRY_BACKOFF: z
      .enum(["true", "false"])
      .default("true")
      .transform((value) => value === "true"),
    /**
     * Webhook deliveries applied at once. Deliveries of one repository link stay in arrival
     * order (they run one after another); different links' run side by side.
     */
    JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    /** A job running longer than this is considered lost (its worker died) and is retried. */
    JOB_EXPIRE_SECONDS: z.coerce.number().int().min(1).default(300),
    /** How often the queue looks for lost jobs (seconds). */
    QUEUE_SUPERVISE_SECONDS: z.coerce.number().int().min(1).default(60),
    /** How often the outbound sync reads the event log (ms). */
    OUTBOUND_POLL_MS: z.coerce.number().int().min(50).default(1000),
    /** Outbound webhooks may target loopback, private and link-local addresses (dev and tests only). */
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: z
      .enum(["true", "false", "1", "0"])
      .default("false")
      .transform((value) => value === "true" || value === "1"),
    /** Deadline of one webhook request, in ms (SPEC: 10 s). */
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    /** First webhook retry delay (ms); retry n waits base·4^(n−1), at most 6 h. */
    WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).default(30_000),
    /** How long a failing delivery is retried (ms) before it is failed and its endpoint disabled. */
    WEBHOOK_RETRY_WINDOW_MS: z.coerce
      .number()
      .int()
      .min(1)
      .default(24 * 3600_000),
    /** Webhook endpoints served at once (each one in seq order). */
    WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
    /** How often due webhook endpoints are looked for besides the wake-up on each event (ms). */
    WEBHOOK_POLL_MS: z.coerce.number().int().min(20).default(1000),
    /** When the reconciliation re-reads linked repos (cron). */
    RECONCILE_CRON: z.string().default("*/15 * * * *"),
    MAX_WEBHOOK_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(25 * 1024 * 1024),
    /** Server-side limits on the worker's database connections, in ms (0: off), as for the backend. */
    DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(15_000),
    DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).default(5_000),
    DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
    /** OTLP/HTTP traces endpoint; unset: no export. */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
    LOG_LEVEL: ZLogLevel,
  })
  .transform((env, ctx) => {
    // Empty (as `.env.example` leaves it) means unset: App mode off.
    const appSecret = env.GITHUB_WEBHOOK_SECRET || undefined;
    if (appSecret && appSecret.length < 16) {
      ctx.addIssue({ code: "custom", path: ["GITHUB_WEBHOOK_SECRET"], message: "must be at least 16 characters" });
    }
    return {
      ...env,
      GITHUB_WEBHOOK_SECRET: appSecret,
      WORKER_PORT: env.WORKER_PORT ?? env.PORT ?? 5469,
      ENCRYPTION_KEY: encryptionKeyOrDev(env.ENCRYPTION_KEY, env.NODE_ENV),
    };
  });
export type WorkerEnv = z.infer<typeof ZWorkerEnv>;

export function loadWorkerEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  return parseEnv(ZWorkerEnv, source, "worker");
}
