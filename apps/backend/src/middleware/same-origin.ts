import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../http/env.ts";
import { ApiError } from "../http/errors.ts";

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const ONE_CLICK_UNSUBSCRIBE = "/api/notifications/unsubscribe";
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

/**
 * CSRF defence for cookie-authenticated writes: a browser Origin must be on the allowlist,
 * and a body must be JSON (which a cross-site form cannot send without a CORS preflight).
 */
export function sameOriginWrites(allowedOrigins: string[]) {
  const allowed = new Set(allowedOrigins);
  return createMiddleware<AppEnv>(async (c, next) => {
    if (UNSAFE.has(c.req.method)) {
      const origin = c.req.header("origin");
      if (origin && !allowed.has(origin) && origin !== new URL(c.req.url).origin) {
        throw new ApiError("FORBIDDEN", "Cross-origin request refused");
      }
      const type = c.req.header("content-type");
      // File uploads and imports are multipart; a cross-site form post still fails the Origin
      // check above and SameSite cookies, and both routes need a session.
      const upload =
        c.req.method === "POST" &&
        /\/(attachments|imports)$/.test(c.req.path) &&
        type?.startsWith("multipart/form-data");
      // RFC 8058: mail providers POST `List-Unsubscribe=One-Click` as a form; the signed token in
      // the URL is the only credential there (no cookie is read), so a form cannot forge anything.
      const oneClick = c.req.path === ONE_CLICK_UNSUBSCRIBE;
      if (type && !upload && !oneClick && !JSON_TYPE.test(type)) {
        throw new ApiError("BAD_REQUEST", "Content-Type must be application/json", { field: "content-type" });
      }
    }
    await next();
  });
}
