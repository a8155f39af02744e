import { DEV_ENCRYPTION_KEY } from "@tandem/util";
import { z } from "zod";

const bool = z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1");

const DEV_SECRET = "tandem-development-secret-change-me-please";

export const ZBackendEnv = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    /** Postgres connection string; unset → the embedded database under DATA_DIR. */
    DATABASE_URL: z.url().optional(),
    PORT: z.coerce.number().int().min(0).max(65_535).default(5468),
    BETTER_AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    BETTER_AUTH_URL: z.url().default("http://localhost:5468"),
    WEB_ORIGINS: z
      .string()
      .default("http://localhost:3000")
      .transform((value) =>
        value
          .split(",")
          .map((origin) => origin.trim())
          .filter(Boolean),
      ),
    GITHUB_CLIENT_ID: z.string().optional(),
    GITHUB_CLIENT_SECRET: z.string().optional(),
    /** 32 bytes, base64: seals GitHub tokens at rest (`openssl rand -base64 32`). */
    ENCRYPTION_KEY: z
      .string()
      .refine((value) => Buffer.from(value, "base64").length === 32, "must be 32 bytes, base64-encoded")
      .optional(),
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
    /** Where the embedded database and local files live. */
    DATA_DIR: z.string().default(".data"),
    /** Seed the demo org and user when the database has none (default: on for the embedded database). */
    SEED_DEMO: bool.optional(),
    MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
    /** Memory for cached board snapshots, in MiB (0 disables the cache). */
    SNAPSHOT_CACHE_MB: z.coerce.number().min(0).max(4096).default(64),
    /** Sign-in/sign-up attempts per client address, as "window_seconds:max" (default 10:3). */
    AUTH_CREDENTIAL_LIMIT: z
      .string()
      .regex(/^\d+:\d+$/, "window_seconds:max, e.g. 10:3")
      .default("10:3")
      .transform((value) => {
        const [window = 10, max = 3] = value.split(":").map(Number);
        return { window, max };
      }),
    /** Anonymous public-board requests per client address, as "window_seconds:max" (default 60:300). */
    PUBLIC_RATE_LIMIT: z
      .string()
      .regex(/^\d+:\d+$/, "window_seconds:max, e.g. 60:300")
      .default("60:300")
      .transform((value) => {
        const [window = 60, max = 300] = value.split(":").map(Number);
        return { windowMs: window * 1000, limit: max };
      }),
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
    /** OTLP/HTTP traces endpoint (e.g. http://otel-collector:4318); unset: no export. */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  })
  .transform((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.BETTER_AUTH_SECRET) {
      ctx.addIssue({ code: "custom", path: ["BETTER_AUTH_SECRET"], message: "is required in production" });
    }
    return {
      ...env,
      BETTER_AUTH_SECRET: env.BETTER_AUTH_SECRET ?? DEV_SECRET,
      ENCRYPTION_KEY: env.ENCRYPTION_KEY ?? (env.NODE_ENV === "production" ? undefined : DEV_ENCRYPTION_KEY),
    };
  });

export type BackendEnv = z.infer<typeof ZBackendEnv>;

/** Parses the environment once at boot; exits with a readable list of what is wrong. */
export function loadEnv(source: Record<string, string | undefined> = process.env): BackendEnv {
  const parsed = ZBackendEnv.safeParse(source);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join(".") || "env"}: ${issue.message}`);
  throw new Error(`Invalid backend configuration:\n${problems.join("\n")}`);
}
