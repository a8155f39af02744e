import type { Auth, AuthSession, SessionReader } from "@tandem/auth";
import type { Database, DatabaseAvailability, MemberOrg } from "@tandem/database";
import type { ApiKeyAccess, CommitNotifier, Ctx, Services } from "@tandem/domain";
import type { Storage } from "@tandem/storage";
import type { Logger } from "@tandem/util/server";
import type { Hub } from "../realtime/hub.ts";
import type { SessionSockets } from "../realtime/session-sockets.ts";
import type { BoardMemo } from "./board-memo.ts";
import type { SnapshotCache } from "./snapshot-cache.ts";

export type Deps = {
  db: Database;
  /** Down during a database outage: requests are answered 503 without waiting on the pool. */
  database: DatabaseAvailability;
  auth: Auth;
  /** The session (and membership) of a request in one prepared query. */
  readSession: SessionReader;
  logger: Logger;
  hub: Hub;
  /** Told of every commit this process makes (passed into each Ctx): wakes the hub, forgets `boards`. */
  notify: CommitNotifier;
  /** Told which users' inboxes changed (the hub tells their sockets on the inbox channel). */
  inboxChanged: (userIds: string[]) => void;
  /** Public boards by slug, briefly remembered (see BoardMemo). */
  boards: BoardMemo;
  /** Open sockets by session, closed when their session ends. */
  sessionSockets: SessionSockets;
  /** Whether "Sign in with GitHub" is configured (told to the UI by /api/auth-config). */
  githubSignIn: boolean;
  storage: Storage;
  /** Signs local download URLs (the session secret). */
  signingSecret: string;
  webOrigins: string[];
  /** Origins allowed to open a WebSocket (the web origins and the backend's own). */
  wsOrigins: string[];
  maxBodyBytes: number;
  /** The largest file an import accepts (IMPORT_MAX_BYTES). */
  importMaxBytes: number;
  /**
   * What the verbs use (file store, attachment limits, encryption key, GitHub, the job queue),
   * built once here and carried on every Ctx as `ctx.services`.
   */
  services: Services;
  /** Read the client address from X-Forwarded-For (set by our reverse proxy). */
  trustProxy?: boolean;
  /** Anonymous (public board) requests allowed per client address and window. */
  publicRateLimit?: { windowMs: number; limit: number };
  /** Requests allowed per API key and window (seconds). */
  apiKeyRateLimit?: { window: number; max: number };
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
    /** The membership read with the session, for the org in the path (`/api/orgs/:orgId`). */
    sessionOrg: { orgId: string; membership: MemberOrg | null } | null;
    /** Set instead of a user when the request carries `Authorization: Bearer tdm_…`. */
    apiKey: ApiKeyAccess | null;
    ctx: Ctx;
    /** The org's last event seq, read with the membership before anything else. */
    orgSeq: number;
    snapshots: SnapshotCache;
  };
};
