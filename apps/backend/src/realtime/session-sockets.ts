import { WS_CLOSE } from "@tandem/contracts";
import type { DbHandle } from "@tandem/database";
import type { Logger } from "@tandem/util/server";
import type { Socket } from "./hub.ts";

const CHANNEL = "tandem_sessions";
/** Longer than any upgrade takes between reading the session and registering the socket. */
const ENDED_MEMORY_MS = 60_000;

/**
 * Open sockets by the session they were opened with: when a session ends (sign-out,
 * "sign out other devices", user deleted) its sockets are closed at once, on this instance
 * directly and on the others through Postgres NOTIFY.
 */
export class SessionSockets {
  private readonly bySession = new Map<string, Set<Socket>>();
  /**
   * Sessions ended in the last minute, by when: a socket whose upgrade read its session just
   * before it ended opens after the close ran, and is closed as it registers.
   */
  private readonly ended = new Map<string, number>();

  add(sessionId: string, ws: Socket): void {
    if (this.ended.has(sessionId)) {
      ws.close(WS_CLOSE.sessionEnded, "session ended");
      return;
    }
    const sockets = this.bySession.get(sessionId) ?? new Set<Socket>();
    sockets.add(ws);
    this.bySession.set(sessionId, sockets);
  }

  remove(sessionId: string, ws: Socket): void {
    const sockets = this.bySession.get(sessionId);
    sockets?.delete(ws);
    if (sockets?.size === 0) this.bySession.delete(sessionId);
  }

  /** Closes every local socket of the session; returns how many. */
  close(sessionId: string): number {
    const now = Date.now();
    for (const [id, at] of this.ended) {
      if (now - at < ENDED_MEMORY_MS) break; // in insertion order: the rest are newer
      this.ended.delete(id);
    }
    this.ended.delete(sessionId);
    this.ended.set(sessionId, now);
    const sockets = this.bySession.get(sessionId);
    if (!sockets) return 0;
    this.bySession.delete(sessionId);
    for (const ws of sockets) ws.close(WS_CLOSE.sessionEnded, "session ended");
    return sockets.size;
  }
}

/**
 * Wires session ends to sockets. `revoked` runs in Better Auth's session-delete hook;
 * `listen` follows the other instances' revocations (not on the embedded database, where
 * NOTIFY does not cross connections and there is only one instance).
 */
export function sessionRevocation(options: {
  handle: DbHandle;
  sockets: SessionSockets;
  notify: boolean;
  logger: Logger;
}) {
  const { handle, sockets, notify, logger } = options;
  return {
    revoked: async (sessionId: string) => {
      sockets.close(sessionId);
      if (!notify) return;
      try {
        await handle.sql.notify(CHANNEL, sessionId);
      } catch (error) {
        logger.warn("session revocation notify failed", {
          error: error instanceof Error ? error.message : String(error),
        });
      }
    },
    listen: async (): Promise<() => Promise<void>> => {
      if (!notify) return async () => {};
      const listener = await handle.sql.listen(CHANNEL, (sessionId) => {
        sockets.close(sessionId);
      });
      return listener.unlisten;
    },
  };
}
