import { createAuth } from "@tandem/auth";
import { type DbHandle, isEmbeddedUrl, ping } from "@tandem/database";
import { queueClient } from "@tandem/queue";
import { createStorage } from "@tandem/storage";
import type { Logger } from "@tandem/util";
import { websocket } from "hono/bun";
import { createApp } from "./app.ts";
import { DEFAULT_HUB_OPTIONS, Hub, type HubOptions } from "./realtime/hub.ts";
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
  snapshotCacheBytes?: number;
  trustProxy?: boolean;
  credentialLimit?: { window: number; max: number };
  encryptionKey?: string;
  storage?: { url?: string; accessKey?: string; secretKey?: string; bucket?: string; localDir: string };
  attachmentLimits?: { maxBytes: number; orgQuotaBytes: number };
  hub?: Partial<HubOptions>;
  /** Event-log poll interval; default 200 ms on the embedded database, 2 s on Postgres. */
  eventPollMs?: number;
};

const WS_MAX_MESSAGE_BYTES = 64 * 1024;

/**
 * Wires auth, the hub and the HTTP app on a database; shared by the server, the tests and
 * the benchmarks. `serve` starts Bun's server with the WebSocket limits set explicitly.
 */
export function composeBackend(options: BackendOptions) {
  const { db } = options.handle;
  const auth = createAuth({
    db,
    secret: options.secret,
    baseURL: options.baseURL,
    trustedOrigins: options.webOrigins,
    github: options.github,
    secureCookies: options.baseURL.startsWith("https://"),
    credentialLimit: options.credentialLimit,
  });
  const hub = new Hub(
    db,
    async (headers) => {
      const session = await auth.api.getSession({ headers, query: { disableCookieCache: true } });
      return session ? { userId: session.user.id } : null;
    },
    options.logger,
    { ...DEFAULT_HUB_OPTIONS, ...options.hub },
  );
  const queue = queueClient(options.databaseUrl);
  const storage = createStorage({
    ...(options.storage ?? { localDir: ".data/files" }),
    signingSecret: options.secret,
    publicBaseUrl: options.baseURL,
  });
  const app = createApp({
    db,
    auth,
    hub,
    queue,
    storage,
    signingSecret: options.secret,
    attachmentLimits: options.attachmentLimits ?? { maxBytes: 10 * 1024 * 1024, orgQuotaBytes: 1024 * 1024 * 1024 },
    logger: options.logger,
    webOrigins: options.webOrigins,
    // The backend's own origin may open sockets too (same-origin deployments, API docs).
    wsOrigins: [...options.webOrigins, new URL(options.baseURL).origin],
    maxBodyBytes: options.maxBodyBytes ?? 1_048_576,
    snapshotCacheBytes: options.snapshotCacheBytes,
    trustProxy: options.trustProxy,
    encryptionKey: options.encryptionKey,
    readiness: async () => ({
      database: (await ping(db)) ? "ok" : "fail",
      queue: (await queue.ping()) ? "ok" : "fail",
      storage: (await storage.ping()) ? "ok" : "fail",
    }),
  });

  async function serve(listen: { port: number; hostname: string }) {
    const server = Bun.serve({
      ...listen,
      // Bun's own limit answers a bare 413 (no CORS headers, no body) that the browser shows
      // as "Failed to fetch"; the app enforces MAX_BODY_BYTES and the attachment limit itself
      // (by Content-Length, or counting a streamed body) and never buffers past them.
      maxRequestBodySize: Number.MAX_SAFE_INTEGER,
      fetch: app.fetch,
      websocket: {
        ...websocket,
        maxPayloadLength: WS_MAX_MESSAGE_BYTES, // larger frames close with 1009
        idleTimeout: 120, // seconds; the hub's own PING/PONG closes silent clients sooner
        backpressureLimit: 1024 * 1024,
        closeOnBackpressureLimit: true, // a consumer this far behind resumes with afterSeq
        sendPings: false,
        perMessageDeflate: false,
      },
    });
    hub.attach(server);
    const embedded = isEmbeddedUrl(options.databaseUrl);
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
        await queue.stop();
      },
    };
  }

  return { app, auth, hub, serve };
}
