import { CLIENT_IP_HEADER } from "@tandem/auth";
import { codeToStatus, ZAuthConfig } from "@tandem/contracts";
import { type Context, Hono } from "hono";
import { clientIp } from "../http/client-ip.ts";
import { doc } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import { httpToCode } from "../http/errors.ts";

/** Better Auth answers `{code, message}`; the API's clients get the one error shape. */
async function inErrorShape(c: Context<AppEnv>, response: Response): Promise<Response> {
  if (response.status < 400) return response;
  const code = httpToCode[response.status] ?? (response.status >= 500 ? "INTERNAL" : "BAD_REQUEST");
  let message = code === "INTERNAL" ? "Internal server error" : "Request refused";
  if (code !== "INTERNAL") {
    const body: unknown = await response.json().catch(() => null);
    if (body && typeof body === "object" && "message" in body && typeof body.message === "string")
      message = body.message;
  }
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  headers.set("content-type", "application/json");
  // Better Auth's own limiter says X-Retry-After; HTTP clients read Retry-After.
  const retryAfter = headers.get("x-retry-after");
  if (retryAfter && !headers.has("retry-after")) headers.set("retry-after", retryAfter);
  return new Response(JSON.stringify({ error: { code, message, requestId: c.var.requestId } }), {
    status: codeToStatus[code],
    headers,
  });
}

/** Better Auth under `/api/auth/*`, and what the sign-in screen needs to know about it. */
export const authRoutes = new Hono<AppEnv>()
  .get(
    "/auth-config",
    doc({ tag: "Auth", summary: "Which sign-in methods this server offers", access: "anyone", response: ZAuthConfig }),
    (c) => c.json({ emailPassword: true, github: c.var.deps.githubSignIn }),
  )
  .on(["GET", "POST"], "/auth/*", async (c) => {
    // Better Auth rate-limits by client address; give it the socket's, never a client header.
    const headers = new Headers(c.req.raw.headers);
    headers.set(CLIENT_IP_HEADER, clientIp(c, c.var.deps.trustProxy ?? false));
    return inErrorShape(c, await c.var.deps.auth.handler(new Request(c.req.raw, { headers })));
  });
