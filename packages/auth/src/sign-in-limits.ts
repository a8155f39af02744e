import { clearRateLimit, consumeRateLimit, type Database, pruneRateLimits } from "@tandem/database";
import type { BetterAuthRateLimitStorage } from "better-auth";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";

/** A limit: at most `max` in `window` seconds. */
export type Limit = { window: number; max: number };

const PRUNE_EVERY_MS = 60_000;

/**
 * Better Auth's rate-limit storage on our `rate_limit` table: a fixed window that starts at
 * the first request (Better Auth's own database storage slides the window on every request,
 * so a busy office behind one address would never get out of it).
 */
export function rateLimitStorage(db: Database, longestWindowSeconds: number): BetterAuthRateLimitStorage {
  let prunedAt = 0;
  return {
    async consume(key, rule) {
      const now = Date.now();
      if (now - prunedAt > PRUNE_EVERY_MS) {
        prunedAt = now;
        const longest = Math.max(longestWindowSeconds, rule.window) * 1000;
        void pruneRateLimits(db, { before: now - longest }).catch(() => {});
      }
      const decision = await consumeRateLimit(db, { key, rule: { windowMs: rule.window * 1000, max: rule.max }, now });
      return { allowed: decision.allowed, retryAfter: decision.retryAfterSeconds };
    },
  };
}

const accountKey = (email: string) => `account-sign-in:${email.trim().toLowerCase()}`;

/**
 * Failed password sign-ins per account (any address). Every attempt takes a slot before the
 * password is checked, so parallel guesses cannot overshoot; a successful sign-in gives them
 * all back. Once the slots are used up the account answers 429 with Retry-After until the
 * window (counted from the first failure) ends, *even for the right password*: if the right
 * password got through a locked account, the 429/200 difference would let a guesser go on.
 * Other accounts, from the same address or not, are unaffected.
 */
export function accountLockout(db: Database, limit: Limit) {
  const rule = { windowMs: limit.window * 1000, max: limit.max };
  const before = createAuthMiddleware(async (ctx) => {
    if (ctx.path !== "/sign-in/email") return;
    const email: unknown = ctx.body?.email;
    if (typeof email !== "string" || email.length === 0) return;
    const decision = await consumeRateLimit(db, { key: accountKey(email), rule });
    if (!decision.allowed) {
      const retryAfter = String(decision.retryAfterSeconds ?? limit.window);
      throw new APIError(
        "TOO_MANY_REQUESTS",
        {
          code: "ACCOUNT_LOCKED",
          message: `Too many failed sign-ins for this account. Try again in ${retryAfter} seconds.`,
        },
        { "Retry-After": retryAfter },
      );
    }
  });
  const after = createAuthMiddleware(async (ctx) => {
    if (ctx.path !== "/sign-in/email") return;
    const email: unknown = ctx.body?.email;
    if (typeof email !== "string" || isAPIError(ctx.context.returned)) return;
    await clearRateLimit(db, { key: accountKey(email) });
  });
  return { before, after };
}
