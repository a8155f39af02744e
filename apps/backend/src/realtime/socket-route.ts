import type { SessionReader } from "@tandem/auth";
import { type ApiKeyAccess, resolveApiKey } from "@tandem/domain";
import type { WebSocketHandler } from "bun";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../http/env.ts";
import { ApiError } from "../http/errors.ts";
import { bearerToken } from "../middleware/session.ts";
import type { Hub, SocketData } from "./hub.ts";
import type { SessionSockets } from "./session-sockets.ts";

/**
 * `GET /ws`: an API key (Bearer) is resolved, and no cookie session is read; or else the
 * Origin must be allowlisted (a browser on another site must not ride the user's cookie into
 * a socket) and the session is read once from the cookie. The socket carries only what the
 * shared handlers need (`SocketData`).
 */
export function upgradeRoute(allowedOrigins: string[], readSession: SessionReader, hub: Hub) {
  const allowed = new Set(allowedOrigins);
  return createMiddleware<AppEnv>(async (c) => {
    const token = bearerToken(c.req.header("authorization"));
    // A server-side client with an API key: no cookie to ride, so no Origin to check (a
    // browser cannot set Authorization on a WebSocket).
    if (!token) {
      const origin = c.req.header("origin");
      if (!origin || !allowed.has(origin)) throw new ApiError("FORBIDDEN", "WebSocket origin not allowed");
    }
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket")
      throw new ApiError("BAD_REQUEST", "Expected a WebSocket upgrade");
    const autoSubscribeOrgId = c.req.query("orgId")?.slice(0, 64) || null;
    let data: SocketData;
    if (token) {
      const key = await resolveApiKey(c.var.deps.db, token);
      if (!key) throw new ApiError("UNAUTHORIZED", "Invalid, expired or revoked API key");
      data = { user: null, apiKey: socketKey(key), sessionId: null, sessionExpiresAt: 0, autoSubscribeOrgId };
    } else {
      const read = await readSession(c.req.raw.headers);
      data = {
        user: read ? { id: read.user.id, name: read.user.name, image: read.user.image } : null,
        apiKey: null,
        sessionId: read?.session.id ?? null,
        sessionExpiresAt: read?.session.expiresAt.getTime() ?? 0,
        autoSubscribeOrgId,
      };
    }
    if (!hub.upgrade(c.req.raw, data)) throw new ApiError("BAD_REQUEST", "Expected a WebSocket upgrade");
    return new Response(null);
  });
}

function socketKey(key: ApiKeyAccess): SocketData["apiKey"] {
  return { id: key.actor.key.id, orgId: key.org.id, createdBy: key.actor.userId, permissions: key.actor.permissions };
}

/** One set of handlers for every socket (Bun.serve's `websocket`): no per-socket closures. */
export function socketHandlers(hub: Hub, sessions: SessionSockets): WebSocketHandler<SocketData> {
  return {
    open: (ws) => {
      if (ws.data.sessionId) sessions.add(ws.data.sessionId, ws);
      hub.open(ws);
    },
    message: (ws, message) => hub.message(ws, message),
    close: (ws) => {
      if (ws.data.sessionId) sessions.remove(ws.data.sessionId, ws);
      hub.close(ws);
    },
  };
}
