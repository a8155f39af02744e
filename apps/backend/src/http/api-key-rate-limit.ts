import { rateLimiter } from "hono-rate-limiter";
import type { AppEnv } from "./env.ts";
import { ApiError } from "./errors.ts";

/**
 * Requests per API key (SPEC §15): past the limit, 429 in the error shape with Retry-After.
 * Requests with a session pass untouched (they have their own limits).
 */
export function apiKeyRateLimit({ window, max }: { window: number; max: number }) {
  return rateLimiter<AppEnv>({
    windowMs: window * 1000,
    limit: max,
    standardHeaders: "draft-6",
    skip: (c) => !c.var.apiKey,
    keyGenerator: (c) => c.var.apiKey?.actor.key.id ?? "",
    handler: () => {
      throw new ApiError("RATE_LIMITED", "Too many requests with this API key; retry after Retry-After seconds");
    },
  });
}
