import type { Auth, AuthSession } from "@tandem/auth";
import type { Database } from "@tandem/database";
import type { Ctx } from "@tandem/domain";
import type { QueueClient } from "@tandem/queue";
import type { Storage } from "@tandem/storage";
import type { Logger } from "@tandem/util";
import type { Hub } from "../realtime/hub.ts";
import type { SnapshotCache } from "./snapshot-cache.ts";

export type Deps = {
  db: Database;
  auth: Auth;
  logger: Logger;
  hub: Hub;
  storage: Storage;
  /** Signs local download URLs (the session secret). */
  signingSecret: string;
  attachmentLimits: { maxBytes: number; orgQuotaBytes: number };
  /** Queues work for the worker (e.g. a repository resync). */
  queue: QueueClient;
  webOrigins: string[];
  /** Origins allowed to open a WebSocket (the web origins and the backend's own). */
  wsOrigins: string[];
  maxBodyBytes: number;
  /** Seals GitHub tokens at rest (base64, 32 bytes); without it, links cannot store tokens. */
  encryptionKey?: string;
  /** Read the client address from X-Forwarded-For (set by our reverse proxy). */
  trustProxy?: boolean;
  /** Anonymous (public board) requests allowed per client address and window. */
  publicRateLimit?: { windowMs: number; limit: number };
  /** Memory for serialized board snapshots (0 turns the cache off). */
  snapshotCacheBytes?: number;
  /** Pings the queue and storage too once they exist; the database for now. */
  readiness: () => Promise<Record<string, "ok" | "fail">>;
};

export type AppEnv = {
  Variables: {
    requestId: string;
    deps: Deps;
    user: AuthSession["user"] | null;
    session: AuthSession["session"] | null;
    ctx: Ctx;
    /** The org's last event seq, read with the membership before anything else. */
    orgSeq: number;
    snapshots: SnapshotCache;
  };
};
