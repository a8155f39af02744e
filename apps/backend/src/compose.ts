import { createAuth, type Limit, sessionReader } from "@tandem/auth";
import { type DbHandle, isEmbeddedUrl, queueDbOf } from "@tandem/database";
import {
  type CommitNotifier,
  configureOrgWrites,
  DEFAULT_WEBHOOK_NETWORK,
  type OrgWriteLimits,
  type Services,
  type WebhookNetwork,
} from "@tandem/domain";
import { createMailer } from "@tandem/mail";
import { injectTraceContext } from "@tandem/opentelemetry";
import { QUEUES, queueClient } from "@tandem/queue";
import { createStorage } from "@tandem/storage";
import type { Logger } from "@tandem/util/server";
import { createApp } from "./app.ts";
import { githubApi } from "./github-api.ts";
import { BoardMemo } from "./http/board-memo.ts";
import type { Deps } from "./http/env.ts";
import { DEFAULT_NOTIFIER, type NotifierConfig, startNotifier } from "./notifier.ts";
import { DEFAULT_HUB_OPTIONS, Hub, type HubOptions } from "./realtime/hub.ts";
import { SessionSockets, sessionRevocation } from "./realtime/session-sockets.ts";
import { socketHandlers } from "./realtime/socket-route.ts";
import { startEventTailer } from "./realtime/tailer.ts";

export type BackendOptions = {
  handle: DbHandle;
  /** The database URL, to tell the embedded database (no LISTEN/NOTIFY across connections). */
  databaseUrl: string;
  secret: string;
  baseURL: string;
  webOrigins: string[];
  logger: Logger;
  github?: { clientId: string; clientSecret: string } | undefined;
  maxBodyBytes?: number;
  importMaxBytes?: number;
  snapshotCacheBytes?: number;
  trustProxy?: boolean;
  publicRateLimit?: { windowMs: number; limit: number };
  /** Requests per API key and window (default 60 per 10 s). */
  apiKeyRateLimit?: Limit;
  credentialLimit?: Limit;
  accountLimit?: Limit;
  encryptionKey?: string;
  /** Outbound webhooks (ping, redelivery, the URL check at save): defaults refuse private networks. */
  webhooks?: Partial<WebhookNetwork>;
  /** GitHub sync: where tokens are checked, the worker's public URL, the App's credentials. */
  githubSync?: { apiUrl?: string; workerUrl?: string; app?: { appId: string; privateKey: string } | undefined };
  storage?: { url?: string; accessKey?: string; secretKey?: string; bucket?: string; localDir: string };
  attachmentLimits?: { maxBytes: number; orgQuotaBytes: number };
  /** Outgoing mail (e-mail verification): SMTP when `smtpUrl` is set, else .eml files in `outboxDir`. */
  mail?: { smtpUrl?: string | undefined; from?: string; outboxDir: string };
  hub?: Partial<HubOptions>;
  /** Event-log poll interval; default 200 ms on the embedded database, 2 s on Postgres. */
  eventPollMs?: number;
  /** Per-org write transactions in flight and waiting (see `@tandem/domain` org-writes). */
  orgWrites?: Partial<OrgWriteLimits>;
  /** The notifier (SPEC §14): on by default; timing knobs for tests. */
  notifier?: Partial<NotifierConfig>;
};

// For tests and benchmarks in other workspaces: users with a session, as the server makes them.
export { createUserWithSession } from "@tandem/auth";

const READINESS_TIMEOUT_MS = 2000;

/** A readiness check that answers within the timeout whatever the dependency does. */
async function probe(check: () => Promise<boolean>): Promise<"ok" | "fail"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), READINESS_TIMEOUT_MS);
  });
  try {
    return (await Promise.race([check().catch(() => false), timeout])) ? "ok" : "fail";
  } finally {
    clearTimeout(timer);
  }
}

const WS_MAX_MESSAGE_BYTES = 64 * 1024;
const DEFAULT_FROM = "Tandem <no-reply@localhost>";

/**
 * Wires auth, the hub and the HTTP app on a database; shared by the server, the tests and
 * the benchmarks. `serve` starts Bun's server with the WebSocket limits set explicitly.
 */
export function composeBackend(options: BackendOptions) {
  const { db, availability } = options.handle;
  if (options.orgWrites) configureOrgWrites(options.orgWrites);
  const embedded = isEmbeddedUrl(options.databaseUrl);
  const sessionSockets = new SessionSockets();
  const revocation = sessionRevocation({
    handle: options.handle,
    sockets: sessionSockets,
    notify: !embedded,
    logger: options.logger,
  });
  const webOrigin = options.webOrigins[0] ?? options.baseURL;
  const mailer = createMailer({
    smtpUrl: options.mail?.smtpUrl,
    from: options.mail?.from ?? DEFAULT_FROM,
    outboxDir: options.mail?.outboxDir ?? ".data/outbox",
    logger: options.logger,
  });
  const auth = createAuth({
    db,
    secret: options.secret,
    baseURL: options.baseURL,
    trustedOrigins: options.webOrigins,
    github: options.github,
    secureCookies: options.baseURL.startsWith("https://"),
    credentialLimit: options.credentialLimit,
    mailer,
    accountLimit: options.accountLimit,
    onSessionRevoked: (session) => revocation.revoked(session.id),
    onExistingUserSignUp: async (user) => {
      // The answer to the sign-up said nothing; the owner hears of it by e-mail instead.
      options.logger.info("sign-up attempted with a registered address", { userId: user.id });
      await mailer.send({
        to: user.email,
        subject: "Someone tried to sign up to Tandem with your address",
        text: [
          "Someone (maybe you) tried to create a Tandem account with this e-mail address,",
          "which already has one. Nothing was changed.",
          "",
          `If it was you, sign in instead: ${webOrigin}/login`,
          `Forgot your password? Choose a new one: ${webOrigin}/forgot-password`,
          "If it was not, you can ignore this message.",
        ].join("\n"),
      });
    },
  });
  const readSession = sessionReader(auth, db);
  const hub = new Hub(db, options.logger, { ...DEFAULT_HUB_OPTIONS, ...options.hub });
  const boards = new BoardMemo(1000);
  /** This process's commits: the hub fans them out at once and cached public boards are forgotten. */
  const inboxChanged = (userIds: string[]) => {
    void hub.inboxChanged(userIds);
  };
  /** Set once `serve` has started the notifier: local commits wake it. */
  let wakeNotifier = () => {};
  const notify: CommitNotifier = (orgId, change, seq) => {
    boards.forget(orgId);
    if (change === "appended") wakeNotifier();
    if (change === "deleted") hub.dropOrg(orgId);
    else void hub.wake(orgId, seq);
  };
  const queue = queueClient(options.databaseUrl);
  const storage = createStorage({
    ...(options.storage ?? { localDir: ".data/files" }),
    signingSecret: options.secret,
    publicBaseUrl: options.baseURL,
  });
  const services: Services = {
    store: storage,
    limits: options.attachmentLimits ?? { maxBytes: 10 * 1024 * 1024, orgQuotaBytes: 1024 * 1024 * 1024 },
    encryptionKey: options.encryptionKey,
    github: {
      webhookBaseUrl: options.githubSync?.workerUrl ?? "http://localhost:5469",
      api: githubApi({ apiUrl: options.githubSync?.apiUrl ?? "https://api.github.com", app: options.githubSync?.app }),
    },
    enqueue: {
      resync: (data) => queue.send(QUEUES.githubReconcile, { ...data, trace: injectTraceContext() }),
      retryDelivery: (deliveryId) => queue.retryFailed(QUEUES.githubEvent, { deliveryId }),
      importData: (data) => queue.send(QUEUES.dataImport, data),
    },
    unsubscribeSecret: options.secret,
    webhooks: { ...DEFAULT_WEBHOOK_NETWORK, ...options.webhooks },
    mail: {
      webOrigin,
      send: (mail) =>
        mailer.send(mail).catch((error: unknown) => {
          options.logger.error("mail not sent", { subject: mail.subject, error });
        }),
    },
  };
  const deps: Deps = {
    db,
    database: availability,
    auth,
    readSession,
    hub,
    notify,
    inboxChanged,
    boards,
    sessionSockets,
    githubSignIn: Boolean(options.github),
    storage,
    signingSecret: options.secret,
    logger: options.logger,
    webOrigins: options.webOrigins,
    // The backend's own origin may open sockets too (same-origin deployments, API docs).
    wsOrigins: [...options.webOrigins, new URL(options.baseURL).origin],
    maxBodyBytes: options.maxBodyBytes ?? 1_048_576,
    importMaxBytes: options.importMaxBytes ?? 20 * 1024 * 1024,
    snapshotCacheBytes: options.snapshotCacheBytes,
    trustProxy: options.trustProxy,
    publicRateLimit: options.publicRateLimit,
    apiKeyRateLimit: options.apiKeyRateLimit,
    services,
    readiness: async () => {
      const [database, queueState, storageState] = await Promise.all([
        probe(availability.check),
        // While the database is down the queue (in the same database) is too: do not wait on it.
        availability.ok() ? probe(queue.ping) : ("fail" as const),
        probe(storage.ping),
      ]);
      return { database, queue: queueState, storage: storageState };
    },
  };
  const app = createApp(deps);

  async function serve(listen: { port: number; hostname: string }) {
    const server = Bun.serve({
      ...listen,
      // Bun's own limit answers a bare 413 (no CORS headers, no body) that the browser shows
      // as "Failed to fetch"; the app enforces MAX_BODY_BYTES and the attachment limit itself
      // (by Content-Length, or counting a streamed body) and never buffers past them.
      maxRequestBodySize: Number.MAX_SAFE_INTEGER,
      fetch: app.fetch,
      websocket: {
        ...socketHandlers(hub, sessionSockets),
        maxPayloadLength: WS_MAX_MESSAGE_BYTES, // larger frames close with 1009
        idleTimeout: 120, // seconds; the hub's own PING/PONG closes silent clients sooner
        backpressureLimit: 1024 * 1024,
        closeOnBackpressureLimit: true, // a consumer this far behind resumes with afterSeq
        sendPings: false,
        perMessageDeflate: false,
      },
    });
    hub.attach(server);
    const notifier = startNotifier({
      db,
      config: { ...DEFAULT_NOTIFIER, ...options.notifier },
      logger: options.logger,
      send: (mail) => mailer.send(mail),
      webOrigin,
      apiOrigin: new URL(options.baseURL).origin,
      secret: options.secret,
      onInbox: inboxChanged,
      scheduleReminders: async (tx, jobs) => {
        const db = queueDbOf(tx);
        for (const job of jobs) await queue.send(QUEUES.dueReminder, job, { startAfter: job.startAfter, db });
      },
    });
    wakeNotifier = notifier.wake;
    const stopRevocations = await revocation.listen();
    const stopTailer = await startEventTailer(options.handle, hub, options.logger, {
      listen: !embedded,
      pollMs: options.eventPollMs ?? (embedded ? 200 : 2000),
    });
    return {
      server,
      url: `http://${listen.hostname === "0.0.0.0" ? "localhost" : listen.hostname}:${server.port}`,
      /** Graceful: sockets get 1001, in-flight requests finish, then the tailer stops. */
      stop: async () => {
        hub.shutdown();
        await server.stop();
        await stopTailer();
        await notifier.stop();
        await stopRevocations();
        await queue.stop();
      },
    };
  }

  return { app, auth, hub, deps, serve };
}
