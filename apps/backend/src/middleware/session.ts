import type { AuthSession } from "@tandem/auth";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../http/env.ts";
import { ApiError } from "../http/errors.ts";

const ORG_PATH = /^\/api\/orgs\/([^/]+)/;

/**
 * Resolves the session from the cookie; anonymous requests pass with null. On an org path the
 * membership there comes with it, in the same query (requireOrgMember uses it).
 */
export const loadSession = createMiddleware<AppEnv>(async (c, next) => {
  const orgId = ORG_PATH.exec(c.req.path)?.[1] ?? null;
  const result = await c.var.deps.readSession(c.req.raw.headers, orgId);
  c.set("user", result?.user ?? null);
  c.set("session", result?.session ?? null);
  c.set("sessionOrg", result && orgId ? { orgId, membership: result.membership } : null);
  await next();
});

export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.var.user) throw new ApiError("UNAUTHORIZED", "Sign in to continue");
  await next();
});

export function currentUser(c: { var: { user: AuthSession["user"] | null } }): AuthSession["user"] {
  if (!c.var.user) throw new ApiError("UNAUTHORIZED", "Sign in to continue");
  return c.var.user;
}
