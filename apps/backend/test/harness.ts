import { tmpdir } from "node:os";
import { join } from "node:path";
import { createUserWithSession, type Limit } from "@tandem/auth";
import { type TErrorBody, ZErrorBody } from "@tandem/contracts";
import { connect, type Database, type DbTimeouts, schema } from "@tandem/database";
import type { OrgWriteLimits, WebhookNetwork } from "@tandem/domain";
import { uniqueSuffix } from "@tandem/domain/testing";
import { createLogger, type Logger } from "@tandem/util/server";
import { eq } from "drizzle-orm";
import { type ApiClient, createApiClient } from "../src/client.ts";
import { composeBackend } from "../src/compose.ts";
import type { Deps } from "../src/http/env.ts";
import type { NotifierConfig } from "../src/notifier.ts";
import type { Hub, HubOptions } from "../src/realtime/hub.ts";

export const WEB_ORIGIN = "http://localhost:3000";
export const TEST_SECRET = "test-secret-test-secret-test-secret-0123";
export const TEST_PASSWORD = "correct-horse-battery";
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");

/**
 * A raw answer, for requests the typed client cannot express (malformed bodies, unknown paths,
 * forged headers, Better Auth's routes); its body is narrowed by the test (zod, `toMatchObject`).
 * Prefer `api` (typed from the routes) for everything else.
 */
export type RawResult = { status: number; body: unknown; headers: Headers };

export type TestUser = {
  id: string;
  email: string;
  name: string;
  cookie: string;
  /** The typed client (Hono RPC, as the UI uses it), signed in as this user. */
  api: ApiClient;
  raw: (method: string, path: string, body?: unknown, init?: RequestInit) => Promise<RawResult>;
};

export type TestBackend = {
  url: string;
  db: Database;
  /** The typed client, anonymous. */
  api: ApiClient;
  raw: (method: string, path: string, body?: unknown, init?: RequestInit) => Promise<RawResult>;
  /** `verified` marks the e-mail address verified, as following the verification link does. */
  signUp: (name?: string, options?: { verified?: boolean }) => Promise<TestUser>;
  hub: Hub;
  /** What the running app was built with, to build another app on the same parts. */
  deps: Deps;
  /** The backend's Better Auth instance (e.g. to link a GitHub account as signing in would). */
  auth: ReturnType<typeof composeBackend>["auth"];
  stop: () => Promise<void>;
};

type TypedAnswer<T> = { ok: boolean; status: number; json: () => Promise<T>; text: () => Promise<string> };
/** The JSON of the 2xx variants of a typed answer (a route's 304 has no body to read). */
type Success<R> = R extends { ok: false } ? never : R extends { json: () => Promise<infer T> } ? T : never;

/**
 * Typed JSON of a 2xx answer from the typed client (exactly `status` when given); anything else
 * fails the test, with the body in the message.
 */
export async function ok<R extends TypedAnswer<unknown>>(response: Promise<R>, status?: number): Promise<Success<R>> {
  const answer = await response;
  if (!answer.ok || (status !== undefined && answer.status !== status))
    throw new Error(`expected ${status ?? "2xx"}, got ${answer.status}: ${await answer.text()}`);
  return answer.json() as Promise<Success<R>>;
}

/** The error body (the one error shape, checked) of an answer that must have `status`. */
export async function refused(response: Promise<TypedAnswer<unknown>>, status: number): Promise<TErrorBody> {
  const answer = await response;
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${await answer.text()}`);
  return ZErrorBody.parse(await answer.json());
}

/** The error body of a raw answer, checked against the one error shape. */
export function errorOf(result: RawResult): TErrorBody {
  return ZErrorBody.parse(result.body);
}

/** A raw answer's body, once its status is the one expected (else the error names both). */
export function expectStatus(result: RawResult, status: number): unknown {
  if (result.status !== status)
    throw new Error(`expected ${status}, got ${result.status}: ${JSON.stringify(result.body)}`);
  return result.body;
}

export type Call = (method: string, path: string, body?: unknown) => Promise<RawResult>;

/** Raw calls as `user` from the web app's origin (what the browser sends). */
export const as =
  (user: TestUser): Call =>
  (method, path, body) =>
    user.raw(method, path, body, { headers: { origin: WEB_ORIGIN } });

/** Whether a raw answer's body is in the one error shape. */
export function isErrorBody(body: unknown): body is TErrorBody {
  return ZErrorBody.safeParse(body).success;
}

function caller(baseUrl: string, cookie?: string) {
  return async (method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<RawResult> => {
    const headers = new Headers(init.headers);
    if (cookie) headers.set("cookie", cookie);
    if (body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
    const response = await fetch(`${baseUrl}${path}`, {
      ...init,
      method,
      headers,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed, headers: response.headers };
  };
}

/** A real backend on a real socket against the test database (DATABASE_URL). */
export async function startTestBackend(
  options: {
    maxBodyBytes?: number;
    importMaxBytes?: number;
    trustProxy?: boolean;
    credentialLimit?: Limit;
    accountLimit?: Limit;
    logger?: Logger;
    github?: { clientId: string; clientSecret: string };
    publicRateLimit?: { windowMs: number; limit: number };
    apiKeyRateLimit?: Limit;
    hub?: Partial<HubOptions>;
    eventPollMs?: number;
    /** The notifier's knobs; without them this backend runs no notifier (its tests turn it on). */
    notifier?: Partial<NotifierConfig>;
    storage?: { url?: string; accessKey?: string; secretKey?: string; bucket?: string; localDir: string };
    attachmentLimits?: { maxBytes: number; orgQuotaBytes: number };
    smtpUrl?: string;
    /** Where mail goes without SMTP (.eml files); a fresh temporary folder by default. */
    outboxDir?: string;
    githubSync?: { apiUrl?: string; workerUrl?: string; app?: { appId: string; privateKey: string } };
    /** Another database than DATABASE_URL (e.g. a private cluster), and its connection limits. */
    databaseUrl?: string;
    timeouts?: DbTimeouts;
    orgWrites?: Partial<OrgWriteLimits>;
    /** Outbound webhooks' network; tests reach loopback receivers unless they say otherwise. */
    webhooks?: Partial<WebhookNetwork>;
    /** Told the text of every statement the backend's pool sends. */
    onQuery?: (query: string) => void;
  } = {},
): Promise<TestBackend> {
  const url = options.databaseUrl ?? process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is required");
  const handle = connect(url, {
    applicationName: "tandem-test",
    timeouts: options.timeouts,
    onQuery: options.onQuery,
  });
  const backend = composeBackend({
    handle,
    databaseUrl: url,
    secret: TEST_SECRET,
    baseURL: "http://localhost:5468",
    webOrigins: [WEB_ORIGIN],
    logger: options.logger ?? createLogger({ service: "backend-test" }, "error"),
    maxBodyBytes: options.maxBodyBytes,
    importMaxBytes: options.importMaxBytes,
    trustProxy: options.trustProxy,
    github: options.github,
    // Every test signs in from 127.0.0.1 against one database: the per-address limit has its
    // own tests (sign-in-limits.test.ts), which pass a limit of their own.
    credentialLimit: options.credentialLimit ?? { window: 900, max: 100_000 },
    accountLimit: options.accountLimit,
    publicRateLimit: options.publicRateLimit,
    apiKeyRateLimit: options.apiKeyRateLimit,
    encryptionKey: TEST_ENCRYPTION_KEY,
    githubSync: options.githubSync,
    storage: options.storage ?? { localDir: join(tmpdir(), `tandem-files-${uniqueSuffix()}`) },
    attachmentLimits: options.attachmentLimits,
    mail: {
      smtpUrl: options.smtpUrl,
      outboxDir: options.outboxDir ?? join(tmpdir(), `tandem-outbox-${uniqueSuffix()}`),
    },
    hub: options.hub,
    eventPollMs: options.eventPollMs,
    notifier: options.notifier ?? { enabled: false },
    orgWrites: options.orgWrites,
    webhooks: { allowPrivateNetworks: true, timeoutMs: 5000, ...options.webhooks },
  });
  const { auth } = backend;
  const running = await backend.serve({ port: 0, hostname: "127.0.0.1" });
  const baseUrl = running.url;

  return {
    url: baseUrl,
    db: handle.db,
    api: createApiClient(baseUrl),
    raw: caller(baseUrl),
    // Users are made through Better Auth's server API: real password hashing and a real
    // signed session cookie, without tripping the HTTP sign-up rate limit.
    signUp: async (name = "Test User", { verified = false } = {}) => {
      const email = `user-${uniqueSuffix()}@example.test`;
      const { userId, cookie } = await createUserWithSession(auth, { email, password: TEST_PASSWORD, name });
      if (verified) {
        await handle.db.update(schema.user).set({ emailVerified: true }).where(eq(schema.user.id, userId));
      }
      const api = createApiClient(baseUrl, { headers: { cookie, origin: WEB_ORIGIN } });
      return { id: userId, email, name, cookie, api, raw: caller(baseUrl, cookie) };
    },
    hub: backend.hub,
    deps: backend.deps,
    auth,
    stop: async () => {
      await running.stop();
      await handle.close();
    },
  };
}
