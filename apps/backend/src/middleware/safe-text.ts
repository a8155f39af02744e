import { isSafeText, UNSAFE_TEXT_MESSAGE } from "@tandem/contracts";
import { createMiddleware } from "hono/factory";
import { matchedRoutes } from "hono/route";
import type { AppEnv } from "../http/env.ts";
import { ApiError } from "../http/errors.ts";

function refuse(field: string): never {
  throw new ApiError("BAD_REQUEST", `${field}: ${UNSAFE_TEXT_MESSAGE}`, { field });
}

/**
 * Path parameters and query values reach queries before (or without) a route's validator:
 * the org and slug lookups, ids in joins, filters. Refuse text the database cannot store
 * here, once, naming the parameter from the matched route (`/api/orgs/:orgId/...`).
 */
export const refuseUnsafeText = createMiddleware<AppEnv>(async (c, next) => {
  // The route that will answer: the first matched handler (middleware is registered as ALL),
  // or for an unknown route the most specific middleware pattern.
  const routes = matchedRoutes(c);
  const handler =
    routes.find((route) => route.method !== "ALL") ?? routes.toSorted((a, b) => b.path.length - a.path.length)[0];
  const pattern = (handler?.path ?? "").split("/");
  c.req.path.split("/").forEach((segment, index) => {
    if (isSafeText(segment)) return;
    const name = pattern[index]?.startsWith(":") ? pattern[index].slice(1).replace(/\{.*$/, "") : "path";
    refuse(name);
  });
  for (const [key, value] of new URL(c.req.url).searchParams) {
    if (!isSafeText(key) || !isSafeText(value)) refuse(key);
  }
  await next();
});
