/**
 * The configuration reference, read from the apps' own zod schemas at build time: variable
 * names, defaults and whether a value is required come from `@tandem/backend/env` and
 * `@tandem/worker/env` (workspace dependencies, so Turbo sees them), so the docs cannot drift
 * from what the processes accept. Only the prose lives here; a variable with no description here falls back to its comment in
 * `.env.example`, and one with neither fails the build.
 */
import { ZBackendEnv } from "@tandem/backend/env";
import { ZWorkerEnv } from "@tandem/worker/env";

export type AppName = "backend" | "worker" | "start" | "marketing";

export type EnvVar = {
  name: string;
  /** What the process accepts: `URL`, `number`, `string` or the allowed values. */
  accepts: string;
  /** The default as written in the environment, or null when there is none. */
  defaultValue: string | null;
  required: boolean;
  meaning: string;
};

export type AppEnvReference = { app: AppName; title: string; source: string; vars: EnvVar[] };

/** Shared meanings; `app:NAME` keys override for one app. */
const MEANINGS: Record<string, string> = {
  "backend:NODE_ENV":
    "`development`, `production` or `test`. In production the backend refuses to start without `BETTER_AUTH_SECRET`.",
  "worker:NODE_ENV":
    "`development`, `production` or `test`. In production there is no development `ENCRYPTION_KEY`: set the backend's.",
  "backend:DATABASE_URL":
    "Postgres 15+ connection string. Unset: an embedded Postgres (PGlite) persisted under `DATA_DIR`, with the demo org seeded.",
  "worker:DATABASE_URL":
    "Postgres connection string, the same database as the backend. Required: `bun run dev` passes the embedded database's URL to the worker.",
  "backend:BACKEND_PORT":
    "HTTP and WebSocket listen port of the backend. Unset: `PORT`, else `5468`. Each app has its own port variable, so one `.env` serves all four in `bun run dev`.",
  "backend:PORT":
    "The port a container or hosting platform assigns, used when `BACKEND_PORT` is unset (`bun run dev` ignores `PORT`).",
  "backend:WEB_PORT": "The board's port: the default `WEB_ORIGINS` is `http://localhost:<WEB_PORT>`.",
  "worker:WORKER_PORT":
    "Listen port of the worker (GitHub webhooks at `POST /webhooks/github/:linkId`, App mode at `POST /webhooks/github`, `GET /health`). Unset: `PORT`, else `5469`.",
  "worker:PORT":
    "The port a container or hosting platform assigns, used when `WORKER_PORT` is unset (`bun run dev` ignores `PORT`).",
  "start:WEB_PORT": "Listen port of the board's development server (`bun run dev`, Vite).",
  "start:PORT": "Listen port of the built board server (`bun .output/server/index.mjs`, production).",
  "start:BACKEND_PORT": "The backend's port: the default `API_URL` is `http://localhost:<BACKEND_PORT>`.",
  "start:API_URL":
    "Backend URL as seen by the browser and by the board's server functions. Unset: `http://localhost:<BACKEND_PORT>`.",
  "marketing:DOCS_PORT": "Listen port of this docs site (`bun run dev`, and `bun run start` in `apps/marketing`).",
  "marketing:PORT": "Listen port of `bun run start` (the built site) when `DOCS_PORT` is unset, e.g. in a container.",
  BETTER_AUTH_SECRET:
    "Session signing secret, at least 32 characters. Optional in development (a fixed development secret is used); required when `NODE_ENV=production`.",
  BETTER_AUTH_URL:
    "Public URL of the backend: cookies and OAuth callbacks are issued for it, and cookies are `Secure` when it starts with `https://`. Its origin may also open WebSockets. Unset: `http://localhost:<BACKEND_PORT>`.",
  WEB_ORIGINS:
    "Comma-separated browser origins allowed for CORS, auth, cross-origin writes and WebSocket upgrades (the board's public URL). Unset: `http://localhost:<WEB_PORT>`.",
  GITHUB_CLIENT_ID: "GitHub OAuth app client id. Sign in with GitHub is enabled when both id and secret are set.",
  GITHUB_CLIENT_SECRET: "GitHub OAuth app client secret (see `GITHUB_CLIENT_ID`).",
  "backend:ENCRYPTION_KEY":
    "32 bytes, base64 (`openssl rand -base64 32`): seals each repo link's webhook secret and token with AES-256-GCM. Without it, repos cannot be linked. Outside production a built-in development key is used.",
  "worker:ENCRYPTION_KEY":
    "The same key as the backend's: the worker opens each link's webhook secret (to verify its deliveries) and token (outbound sync, reconciliation) with it.",
  DATA_DIR: "Where the embedded database and local files (attachments without `STORAGE_URL`) live.",
  STORAGE_URL:
    "S3/MinIO endpoint for attachments (e.g. `http://minio:9000`). Unset: files on local disk under `DATA_DIR/files`.",
  STORAGE_ACCESS_KEY: "S3/MinIO access key (with `STORAGE_URL`).",
  STORAGE_SECRET_KEY: "S3/MinIO secret key (with `STORAGE_URL`).",
  STORAGE_BUCKET: "S3/MinIO bucket for attachments.",
  ATTACHMENT_MAX_BYTES: "Largest attachment in bytes; larger gets 413.",
  ORG_STORAGE_QUOTA_BYTES: "Attachment storage each org may use, in bytes; an upload past it gets 413.",
  SEED_DEMO:
    "`true`/`1` or `false`/`0`: seed the demo org and user (demo@tandem.dev) when missing. Unset: on with the embedded database, off with Postgres.",
  MAX_BODY_BYTES: "Largest accepted API request body in bytes; larger gets 413.",
  IMPORT_MAX_BYTES:
    "Largest file an import (Tandem export, CSV, Trello board) accepts, in bytes (20 MiB); larger gets 413. The file is kept with the import until it completes.",
  SNAPSHOT_CACHE_MB: "Memory for cached board snapshots (keyed by the org's event seq), in MiB; 0 disables the cache.",
  AUTH_CREDENTIAL_LIMIT:
    'Sign-in requests (and, counted apart, sign-up requests) per client address, as `"window_seconds:max"`; past it, 429 with `Retry-After`. High enough for a team behind one NAT address.',
  AUTH_ACCOUNT_LIMIT:
    'Failed sign-ins per account (from any address), as `"window_seconds:max"`. Past it the account answers 429 with `Retry-After` until the window ends, even for the right password; a successful sign-in clears the failures.',
  PUBLIC_RATE_LIMIT:
    'Anonymous public-board requests per client address, as `"window_seconds:max"`; past it, 429 with `Retry-After`.',
  TRUST_PROXY:
    "Behind a reverse proxy: take the client address from the last `X-Forwarded-For` hop (used by the sign-in and public-board rate limits). Leave `false` when clients reach the backend directly.",
  WS_PING_INTERVAL_MS: "The hub sends `PING` this often (ms).",
  WS_PONG_TIMEOUT_MS: "A socket with no `PONG` for this long (ms) is closed with code 4408.",
  WS_MIN_MESSAGE_INTERVAL_MS:
    "Flood control: after a burst of 20, client messages closer together than this (ms) count as offences.",
  WS_MAX_OFFENCES:
    "Offences (rate limit, bad messages, refused subscriptions) tolerated before the hub closes with 1008.",
  WS_MAX_REPLAY_EVENTS:
    "Events one socket may be replayed per minute when it resumes with `afterSeq`; past that the hub answers `RESYNC` (reload from the cached snapshot).",
  EVENT_POLL_MS:
    "How often the hub polls the event log (ms). Unset: 200 on the embedded database, 2000 on Postgres (where `LISTEN/NOTIFY` wakes it at once).",
  OTEL_EXPORTER_OTLP_ENDPOINT:
    "OTLP/HTTP endpoint (e.g. `http://otel-collector:4318`); spans are exported to `<endpoint>/v1/traces`. Unset: no export.",
  LOG_LEVEL: "`debug`, `info`, `warn` or `error`.",
  GITHUB_WEBHOOK_SECRET:
    "GitHub App mode only: the App's webhook secret. Its deliveries (`POST /webhooks/github`) reach only the org that claimed their `installation.id`. Unset: that route answers 404, and deliveries go to each repo link's own URL, verified with the link's own secret.",
  "backend:GITHUB_API_URL":
    "GitHub REST base URL: a repo link's token is checked there when saved (`GET /repos/:owner/:repo` must show push or admin), and claimed App installations are verified there.",
  "worker:GITHUB_API_URL":
    "GitHub REST base URL for outbound calls and reconciliation (GitHub Enterprise, or a local stand-in in tests).",
  GITHUB_PACING_MS:
    "Pacing of the worker's GitHub calls (ms): writes are spaced by it, as GitHub advises, and a 5xx or network failure is retried after 1×, then 4× it. A rate limit whose reset is at most 60 s away is waited out.",
  GITHUB_APP_ID:
    "GitHub App mode: the App's numeric id. With `GITHUB_APP_PRIVATE_KEY`, admins can claim the App's installations for their org.",
  GITHUB_APP_PRIVATE_KEY:
    "GitHub App mode: the App's private key (PEM; `\\n` escapes are turned into newlines). Signs the App's JWT for `GET /app/installations/:id`.",
  WORKER_PUBLIC_URL:
    "The worker's public URL as GitHub reaches it: each repo link's Payload URL is `<WORKER_PUBLIC_URL>/webhooks/github/<linkId>`.",
  JOB_ATTEMPTS: "Attempts per background job before it moves to its dead-letter queue.",
  JOB_RETRY_DELAY_SECONDS: "Delay before the first retry (s).",
  JOB_RETRY_BACKOFF: "`true`: exponential backoff between retries; `false`: a fixed delay.",
  JOB_EXPIRE_SECONDS: "A job running longer than this (s) counts as lost (its worker died) and is retried.",
  QUEUE_SUPERVISE_SECONDS: "How often the queue looks for lost jobs (s).",
  OUTBOUND_POLL_MS: "How often the outbound sync reads the event log for changes to send to GitHub (ms).",
  RECONCILE_CRON: "When the reconciliation re-reads linked repos' issues (cron expression).",
  MAX_WEBHOOK_BYTES: "Largest webhook body the worker accepts (bytes); larger gets 413.",
};

/** Variables apps/start reads (it has no zod schema): `src/lib/config.ts` and `vite.config.ts`. */
const START_VARS: { name: string; accepts: string; defaultValue: string | null }[] = [
  { name: "API_URL", accepts: "URL", defaultValue: null },
  { name: "BACKEND_PORT", accepts: "number", defaultValue: "5468" },
  { name: "WEB_PORT", accepts: "number", defaultValue: "3000" },
  { name: "PORT", accepts: "number", defaultValue: "3000" },
];

type Def = {
  type: string;
  innerType?: ZodLike;
  in?: ZodLike;
  defaultValue?: unknown;
  entries?: Record<string, unknown>;
  format?: string;
};
type ZodLike = { def: Def };

/** Reads what the environment may hold for one field: unwraps defaults, optionals and pipes. */
export function describeField(schema: ZodLike): Omit<EnvVar, "name" | "meaning"> {
  let current = schema;
  let optional = false;
  let defaultValue: unknown;
  for (let depth = 0; depth < 10; depth += 1) {
    const { def } = current;
    if (def.type === "default" && def.innerType) {
      if (defaultValue === undefined) defaultValue = def.defaultValue;
      current = def.innerType;
    } else if (def.type === "optional" && def.innerType) {
      optional = true;
      current = def.innerType;
    } else if (def.type === "pipe" && def.in) {
      current = def.in;
    } else {
      break;
    }
  }
  const { def } = current;
  const accepts =
    def.type === "enum" && def.entries
      ? // Object keys list integer-like names ("0", "1") first: put the words back in front.
        Object.keys(def.entries)
          .sort((a, b) => Number(/^\d+$/.test(a)) - Number(/^\d+$/.test(b)))
          .join(" | ")
      : def.type === "string" && def.format === "url"
        ? "URL"
        : def.type;
  return {
    accepts,
    defaultValue: defaultValue === undefined ? null : String(defaultValue),
    required: !optional && defaultValue === undefined,
  };
}

/** The keys of a zod object schema, also when it is wrapped in a transform (`ZBackendEnv`). */
export function schemaShape(schema: unknown): Record<string, ZodLike> {
  let current = schema as ZodLike & { shape?: Record<string, ZodLike> };
  while (!current.shape && current.def.type === "pipe" && current.def.in) current = current.def.in;
  if (!current.shape) throw new Error("not a zod object schema");
  return current.shape;
}

const ENV_LINE = /^([A-Z][A-Z0-9_]*)=/;

/** The comment block right above `NAME=` in .env.example (the fallback meaning). */
export function envExampleComments(text: string): Map<string, string> {
  const comments = new Map<string, string>();
  let block: string[] = [];
  // Consecutive variables share the comment above them; a comment after a variable starts anew.
  let afterVariable = false;
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    const name = ENV_LINE.exec(trimmed)?.[1];
    if (trimmed.startsWith("# ---") || trimmed === "") {
      block = [];
      afterVariable = false;
    } else if (trimmed.startsWith("#")) {
      if (afterVariable) block = [];
      afterVariable = false;
      block.push(trimmed.replace(/^#\s?/, ""));
    } else if (name) {
      afterVariable = true;
      if (block.length) comments.set(name, block.join(" "));
    }
  }
  return comments;
}

/** The variable names `.env.example` lists, in order. */
export function envExampleNames(text: string): string[] {
  return text.split("\n").flatMap((line) => ENV_LINE.exec(line.trim())?.[1] ?? []);
}

/** Variables `.env.example` lists that no app reads (reserved or stale), for the docs to flag. */
export function unreadExampleVars(envExample: string, reference = envReference(envExample)): string[] {
  const read = new Set(reference.flatMap((section) => section.vars.map((v) => v.name)));
  return envExampleNames(envExample).filter((name) => !read.has(name));
}

function meaningOf(app: AppName, name: string, fallback: Map<string, string>): string {
  const meaning = MEANINGS[`${app}:${name}`] ?? MEANINGS[name] ?? fallback.get(name);
  if (!meaning) {
    throw new Error(`${name} (${app}) has no description: add it to apps/marketing/src/lib/env-reference.ts`);
  }
  return meaning;
}

function fromSchema(app: AppName, schema: unknown, fallback: Map<string, string>): EnvVar[] {
  return Object.entries(schemaShape(schema)).map(([name, field]) => ({
    name,
    ...describeField(field),
    meaning: meaningOf(app, name, fallback),
  }));
}

/**
 * Every variable each app reads, in schema order. `envExample` is the text of the root
 * `.env.example` (the Astro component imports it with `?raw`, tests read the file).
 */
export function envReference(envExample: string): AppEnvReference[] {
  const fallback = envExampleComments(envExample);
  return [
    {
      app: "backend",
      title: "Backend (apps/backend)",
      source: "apps/backend/src/env.ts",
      vars: fromSchema("backend", ZBackendEnv, fallback),
    },
    {
      app: "worker",
      title: "Worker (apps/worker)",
      source: "apps/worker/src/env.ts",
      vars: fromSchema("worker", ZWorkerEnv, fallback),
    },
    {
      app: "start",
      title: "Board (apps/start)",
      source: "apps/start/src/lib/config.ts, apps/start/vite.config.ts",
      vars: START_VARS.map((v) => ({ ...v, required: false, meaning: meaningOf("start", v.name, fallback) })),
    },
    {
      app: "marketing",
      title: "Docs site (apps/marketing)",
      source: "apps/marketing/astro.config.mjs, apps/marketing/serve.ts",
      vars: ["DOCS_PORT", "PORT"].map((name) => ({
        name,
        accepts: "number",
        defaultValue: "3002",
        required: false,
        meaning: meaningOf("marketing", name, fallback),
      })),
    },
  ];
}

/** Escapes HTML and renders `code` spans: enough for the one-line meanings above. */
export function inlineCode(text: string): string {
  const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  return escaped.replace(/`([^`]+)`/g, "<code>$1</code>");
}
