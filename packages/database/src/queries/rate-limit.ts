import { eq, lt, sql } from "drizzle-orm";
import type { Executor } from "../client.ts";
import { rateLimit } from "../schema/index.ts";

export type RateLimitRule = { windowMs: number; max: number };
export type RateLimitDecision = { allowed: boolean; retryAfterSeconds: number | null };

/**
 * Counts one attempt against `key` in a fixed window that starts at the first attempt, in
 * one statement (concurrent attempts cannot all slip past a stale read). `last_request`
 * holds the window's start. Refused attempts are not counted, so waiting out the window
 * always works.
 */
export async function consumeRateLimit(
  db: Executor,
  { key, rule, now = Date.now() }: { key: string; rule: RateLimitRule; now?: number },
): Promise<RateLimitDecision> {
  const expired = sql`${rateLimit.lastRequest} <= ${now - rule.windowMs}`;
  const [row] = await db
    .insert(rateLimit)
    .values({ id: crypto.randomUUID(), key, count: 1, lastRequest: now })
    .onConflictDoUpdate({
      target: rateLimit.key,
      set: {
        count: sql`case when ${expired} then 1 else ${rateLimit.count} + 1 end`,
        lastRequest: sql`case when ${expired} then ${now}::bigint else ${rateLimit.lastRequest} end`,
      },
      setWhere: sql`${expired} or ${rateLimit.count} < ${rule.max}`,
    })
    .returning({ count: rateLimit.count });
  if (row) return { allowed: true, retryAfterSeconds: null };
  const [current] = await db
    .select({ lastRequest: rateLimit.lastRequest })
    .from(rateLimit)
    .where(eq(rateLimit.key, key));
  const windowEnds = (current?.lastRequest ?? now) + rule.windowMs;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEnds - now) / 1000)) };
}

/** Forgets the attempts counted against `key` (e.g. after a successful sign-in). */
export async function clearRateLimit(db: Executor, { key }: { key: string }): Promise<void> {
  await db.delete(rateLimit).where(eq(rateLimit.key, key));
}

/** Deletes counters whose window started before `before` (epoch ms). */
export async function pruneRateLimits(db: Executor, { before }: { before: number }): Promise<void> {
  await db.delete(rateLimit).where(lt(rateLimit.lastRequest, before));
}
