import type { AuthSession } from "@tandem/auth";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../http/env.ts";
import { ApiError } from "../http/errors.ts";

/** Resolves the Better Auth session from the cookie; anonymous requests pass with null. */
export const loadSession = createMiddleware<AppEnv>(async (c, next) => {
  const result = await c.var.deps.auth.api.getSession({ headers: c.req.raw.headers });
  c.set("user", result?.user ?? null);
  c.set("session", result?.session ?? null);
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
