import type { SessionReader } from "@tandem/auth";
import type { WebSocketHandler } from "bun";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../http/env.ts";
import { ApiError } from "../http/errors.ts";
import type { Hub, SocketData } from "./hub.ts";
import type { SessionSockets } from "./session-sockets.ts";

/**
 * `GET /ws`: the Origin must be allowlisted (a browser on another site must not ride the
 * user's cookie into a socket), the session is read once from the cookie, and the socket
 * carries only what the shared handlers need (`SocketData`).
 */
export function upgradeRoute(allowedOrigins: string[], readSession: SessionReader, hub: Hub) {
  const allowed = new Set(allowedOrigins);
  return createMiddleware<AppEnv>(async (c) => {
    const origin = c.req.header("origin");
    if (!origin || !allowed.has(origin)) throw new ApiError("FORBIDDEN", "WebSocket origin not allowed");
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket")
      throw new ApiError("BAD_REQUEST", "Expected a WebSocket upgrade");
    const read = await readSession(c.req.raw.headers);
    const user = read ? { id: read.user.id, name: read.user.name, image: read.user.image } : null;
    const data: SocketData = {
      user,
      sessionId: read?.session.id ?? null,
      sessionExpiresAt: read?.session.expiresAt.getTime() ?? 0,
      autoSubscribeOrgId: c.req.query("orgId")?.slice(0, 64) || null,
    };
    if (!hub.upgrade(c.req.raw, data)) throw new ApiError("BAD_REQUEST", "Expected a WebSocket upgrade");
    return new Response(null);
  });
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
