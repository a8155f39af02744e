import { encryptionKeyOrDev, parseEnv, ZEncryptionKey, ZLogLevel } from "@tandem/util/server";
import { z } from "zod";

const bool = z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1");

/** A limit written "window_seconds:max", e.g. 900:5. */
const limit = (fallback: string) =>
  z
    .string()
    .regex(/^\d+:\d+$/, "window_seconds:max, e.g. 900:5")
    .default(fallback)
    .transform((value) => {
      const [window = 0, max = 0] = value.split(":").map(Number);
      return { window, max };
    })
    .refine((value) => value.window > 0 && value.max > 0, "window and max must be positive");

const DEV_SECRET = "tandem-development-secret-change-me-please";
const port = z.coerce.number().int().min(0).max(65_535);

export const ZBackendEnv = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    /** Postgres connection string; unset → the embedded database under DATA_DIR. */
    DATABASE_URL: z.url().optional(),
    /** Listen port; unset → PORT → 5468. Each app has its own variable, so one .env serves all four. */
    BACKEND_PORT: port.optional(),
    /** The port a container or platform assigns (used when BACKEND_PORT is unset). */
    PORT: port.optional(),
    /** The board's port, for the default WEB_ORIGINS. */
    WEB_PORT: port.default(3000),
    BETTER_AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    /** Public URL of the backend; unset → http://localhost:<port>. */
    BETTER_AUTH_URL: z.url().optional(),
    /** Browser origins; unset → http://localhost:<WEB_PORT>. */
    WEB_ORIGINS: z.string().optional(),
    GITHUB_CLIENT_ID: z.string().optional(),
    GITHUB_CLIENT_SECRET: z.string().optional(),
    /** GitHub REST base URL: repo tokens and App installations are checked against it. */
    GITHUB_API_URL: z.url().default("https://api.github.com"),
    /** GitHub App mode: the App's id and private key (PEM; `\n` escapes allowed), to verify claimed installations. */
    GITHUB_APP_ID: z.string().optional(),
    GITHUB_APP_PRIVATE_KEY: z.string().optional(),
    /** The worker's public URL: each repo link's Payload URL is `<this>/webhooks/github/<linkId>`. */
    WORKER_PUBLIC_URL: z.url().default("http://localhost:5469"),
    /** 32 bytes, base64: seals GitHub tokens at rest (`openssl rand -base64 32`). */
    ENCRYPTION_KEY: ZEncryptionKey.optional(),
    /** Outbound webhooks may target loopback, private and link-local addresses (dev and tests only). */
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: bool.default(false),
    /** Deadline of one webhook request (ping and redelivery from the API), in ms. */
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    /** S3/MinIO for attachments; unset: files on local disk under DATA_DIR/files. */
    STORAGE_URL: z.url().optional(),
    STORAGE_ACCESS_KEY: z.string().optional(),
    STORAGE_SECRET_KEY: z.string().optional(),
    STORAGE_BUCKET: z.string().default("tandem"),
    /** Largest attachment, and the storage each org may use, in bytes. */
    ATTACHMENT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1)
      .default(10 * 1024 * 1024),
    ORG_STORAGE_QUOTA_BYTES: z.coerce
      .number()
      .int()
      .min(1)
      .default(1024 * 1024 * 1024),
    /** Outgoing mail (e-mail verification). Unset: messages are written to DATA_DIR/outbox and their link logged. */
    SMTP_URL: z.url().optional(),
    EMAIL_FROM: z.string().min(3).default("Tandem <no-reply@localhost>"),
    /** Notification e-mails arriving within this window (ms) after the first go out as one digest. */
    EMAIL_BATCH_WINDOW_MS: z.coerce.number().int().min(0).default(300_000),
    /** One actor's changes on one task closer than this (ms) fold into one notification. */
    NOTIFY_COLLAPSE_MS: z.coerce.number().int().min(0).default(120_000),
    /** Run the notifier in this instance (several may: each org's batch is locked). */
    NOTIFIER_ENABLED: bool.default(true),
    /** How often the notifier reads the event log when no local commit wakes it (ms). */
    NOTIFIER_POLL_MS: z.coerce.number().int().min(10).default(1000),
    /** A local commit wakes the notifier this long (ms) later, so a burst is read as one batch. */
    NOTIFIER_BATCH_DELAY_MS: z.coerce.number().int().min(0).max(5000).default(250),
    /** Where the embedded database and local files live. */
    DATA_DIR: z.string().default(".data"),
    /** Seed the demo org and user when the database has none (default: on for the embedded database). */
    SEED_DEMO: bool.optional(),
    MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
    /** Largest file an import accepts, in bytes. */
    IMPORT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(20 * 1024 * 1024),
    /** Memory for cached board snapshots, in MiB (0 disables the cache). */
    SNAPSHOT_CACHE_MB: z.coerce.number().min(0).max(4096).default(64),
    /** Sign-in and sign-up requests per client address, "window_seconds:max" (each path counted apart). */
    AUTH_CREDENTIAL_LIMIT: limit("900:100"),
    /** Failed sign-ins per account (from any address) before it is locked for the window. */
    AUTH_ACCOUNT_LIMIT: limit("900:5"),
    /** Anonymous public-board requests per client address, as "window_seconds:max" (default 60:300). */
    PUBLIC_RATE_LIMIT: z
      .string()
      .regex(/^\d+:\d+$/, "window_seconds:max, e.g. 60:300")
      .default("60:300")
      .transform((value) => {
        const [window = 60, max = 300] = value.split(":").map(Number);
        return { windowMs: window * 1000, limit: max };
      }),
    /** Requests per API key, "window_seconds:max" (default 60 per 10 s; past it: 429 with Retry-After). */
    API_KEY_RATE_LIMIT: limit("10:60"),
    /** Behind a reverse proxy: the client address is the last X-Forwarded-For hop. */
    TRUST_PROXY: bool.default(false),
    /** Hub heartbeat: PING every interval, close after the timeout without PONG. */
    WS_PING_INTERVAL_MS: z.coerce.number().int().min(10).default(30_000),
    WS_PONG_TIMEOUT_MS: z.coerce.number().int().min(20).default(60_000),
    /** Hub flood control: messages closer than this are offences; past the limit, close 1008. */
    WS_MIN_MESSAGE_INTERVAL_MS: z.coerce.number().int().min(0).default(25),
    WS_MAX_OFFENCES: z.coerce.number().int().min(1).default(10),
    /** Events one socket may be replayed per minute; a resume past that gets RESYNC (reload). */
    WS_MAX_REPLAY_EVENTS: z.coerce.number().int().min(1).default(1000),
    /** How often the hub polls the event log (default: 200 ms embedded, 2000 ms Postgres). */
    EVENT_POLL_MS: z.coerce.number().int().min(10).optional(),
    /**
     * Server-side limits on the app's database connections, in ms (0: off); not applied to
     * the embedded database. A statement or lock wait past its limit answers 503.
     */
    DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(15_000),
    DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).default(5_000),
    DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
    /** Write transactions one org may run at once, may queue, and how long one may wait (ms). */
    ORG_WRITE_CONCURRENCY: z.coerce.number().int().min(1).default(3),
    ORG_WRITE_QUEUE: z.coerce.number().int().min(0).default(100),
    ORG_WRITE_WAIT_MS: z.coerce.number().int().min(1).default(10_000),
    /** OTLP/HTTP traces endpoint (e.g. http://otel-collector:4318); unset: no export. */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
    LOG_LEVEL: ZLogLevel,
  })
  .transform((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.BETTER_AUTH_SECRET) {
      ctx.addIssue({ code: "custom", path: ["BETTER_AUTH_SECRET"], message: "is required in production" });
    }
    // Empty (as `.env.example` leaves them) means unset: App mode off.
    const appId = env.GITHUB_APP_ID || undefined;
    const appKey = env.GITHUB_APP_PRIVATE_KEY?.replaceAll("\\n", "\n") || undefined;
    if (appId && !/^\d+$/.test(appId)) {
      ctx.addIssue({ code: "custom", path: ["GITHUB_APP_ID"], message: "is the App's numeric id" });
    }
    if (Boolean(appId) !== Boolean(appKey)) {
      ctx.addIssue({ code: "custom", path: ["GITHUB_APP_ID"], message: "and GITHUB_APP_PRIVATE_KEY go together" });
    }
    const listenPort = env.BACKEND_PORT ?? env.PORT ?? 5468;
    return {
      ...env,
      GITHUB_APP_ID: appId,
      GITHUB_APP_PRIVATE_KEY: appKey,
      BACKEND_PORT: listenPort,
      BETTER_AUTH_URL: env.BETTER_AUTH_URL ?? `http://localhost:${listenPort}`,
      WEB_ORIGINS: (env.WEB_ORIGINS ?? `http://localhost:${env.WEB_PORT}`)
        .split(",")
        .map((origin) => origin.trim())
        .filter(Boolean),
      BETTER_AUTH_SECRET: env.BETTER_AUTH_SECRET ?? DEV_SECRET,
      ENCRYPTION_KEY: encryptionKeyOrDev(env.ENCRYPTION_KEY, env.NODE_ENV),
    };
  });

export type BackendEnv = z.infer<typeof ZBackendEnv>;

/** Parses the environment once at boot; exits with a readable list of what is wrong. */
export function loadEnv(source: Record<string, string | undefined> = process.env): BackendEnv {
  return parseEnv(ZBackendEnv, source, "backend");
}
