import type { AuthSession } from "@tandem/auth";
import { resolveApiKey } from "@tandem/domain";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../http/env.ts";
import { ApiError } from "../http/errors.ts";

const BEARER = /^Bearer\s+(\S+)$/i;
const ORG_PATH = /^\/api\/orgs\/([^/]+)/;

/** The token of an `Authorization: Bearer …` header, if the request has one. */
export function bearerToken(header: string | undefined): string | null {
  return header?.match(BEARER)?.[1] ?? null;
}

/**
 * Resolves who calls: an API key (`Authorization: Bearer tdm_…`, refused at once when unknown,
 * revoked or expired; no cookie session is read), else the session from the cookie, in one
 * prepared read with, on an org path, the membership there (requireOrgMember uses it).
 * Anonymous requests pass with neither.
 */
export const loadSession = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c.req.header("authorization"));
  if (token) {
    const apiKey = await resolveApiKey(c.var.deps.db, token);
    if (!apiKey) throw new ApiError("UNAUTHORIZED", "Invalid, expired or revoked API key");
    c.set("apiKey", apiKey);
    c.set("user", null);
    c.set("session", null);
    c.set("sessionOrg", null);
    return next();
  }
  const orgId = ORG_PATH.exec(c.req.path)?.[1] ?? null;
  const result = await c.var.deps.readSession(c.req.raw.headers, orgId);
  c.set("apiKey", null);
  c.set("user", result?.user ?? null);
  c.set("session", result?.session ?? null);
  c.set("sessionOrg", result && orgId ? { orgId, membership: result.membership } : null);
  await next();
});

/** A user or an API key; routes outside an org still need a user (`currentUser`). */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.var.user && !c.var.apiKey) throw new ApiError("UNAUTHORIZED", "Sign in to continue");
  await next();
});

export function currentUser(c: { var: { user: AuthSession["user"] | null } }): AuthSession["user"] {
  if (!c.var.user) throw new ApiError("UNAUTHORIZED", "Sign in to continue");
  return c.var.user;
}
