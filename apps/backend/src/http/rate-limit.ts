import { rateLimiter } from "hono-rate-limiter";
import { clientIp } from "./client-ip.ts";
import type { AppEnv } from "./env.ts";
import { ApiError } from "./errors.ts";

/**
 * Requests per client address for anonymous routes (the public board): past the limit,
 * 429 in the error shape with Retry-After (and RateLimit-* headers on every response).
 */
export function anonymousRateLimit({
  windowMs,
  limit,
  trustProxy,
}: {
  windowMs: number;
  limit: number;
  trustProxy: boolean;
}) {
  return rateLimiter<AppEnv>({
    windowMs,
    limit,
    standardHeaders: "draft-6",
    keyGenerator: (c) => clientIp(c, trustProxy),
    handler: () => {
      throw new ApiError("RATE_LIMITED", "Too many requests from this address; retry after Retry-After seconds");
    },
  });
}
