import type { SessionReader } from "@tandem/auth";
import { upgradeWebSocket } from "hono/bun";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../http/env.ts";
import { ApiError } from "../http/errors.ts";
import type { Hub, Socket } from "./hub.ts";
import type { SessionSockets } from "./session-sockets.ts";

/**
 * Before the upgrade: the Origin must be allowlisted (a browser on another site must not ride
 * the user's cookie into a socket), and the session is read once from the cookie.
 */
export function guardUpgrade(allowedOrigins: string[], readSession: SessionReader) {
  const allowed = new Set(allowedOrigins);
  return createMiddleware<AppEnv>(async (c, next) => {
    const origin = c.req.header("origin");
    if (!origin || !allowed.has(origin)) throw new ApiError("FORBIDDEN", "WebSocket origin not allowed");
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket")
      throw new ApiError("BAD_REQUEST", "Expected a WebSocket upgrade");
    const session = await readSession(c.req.raw.headers);
    c.set("user", session?.user ?? null);
    c.set("session", session?.session ?? null);
    await next();
  });
}

export function socketHandler(hub: Hub, sessions: SessionSockets) {
  return upgradeWebSocket((c) => {
    const user = c.var.user;
    const sessionId = c.var.session?.id ?? null;
    const expiresAt = c.var.session?.expiresAt.getTime() ?? 0;
    const presence = user ? { id: user.id, name: user.name, image: user.image ?? null } : null;
    const orgId = c.req.query("orgId")?.slice(0, 64) || null;
    return {
      onOpen: (_event, ws) => {
        if (sessionId) sessions.add(sessionId, ws.raw as Socket);
        hub.open(ws.raw as Socket, presence, expiresAt, orgId);
      },
      onMessage: (event, ws) => {
        const data = event.data;
        hub.message(ws.raw as Socket, typeof data === "string" ? data : Buffer.from(data as ArrayBuffer));
      },
      onClose: (_event, ws) => {
        if (sessionId) sessions.remove(sessionId, ws.raw as Socket);
        hub.close(ws.raw as Socket);
      },
    };
  });
}
