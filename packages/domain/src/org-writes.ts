import PQueue from "p-queue";
import { unavailable } from "./errors.ts";

/**
 * A bounded number of write transactions per org in this process. Writes in one org are
 * serialised by its counter row anyway, so more than a few in flight only hold pool
 * connections while they wait: when one org's counter is locked, its writes queue here
 * instead of taking every connection from the other orgs.
 */
export type OrgWriteLimits = {
  /** Write transactions of one org running at once. */
  concurrency: number;
  /** Writes of one org allowed to wait; beyond that they are refused at once. */
  maxQueued: number;
  /** How long a write may wait for its turn before it is refused. */
  maxWaitMs: number;
};

export const DEFAULT_ORG_WRITE_LIMITS: OrgWriteLimits = { concurrency: 3, maxQueued: 100, maxWaitMs: 10_000 };

let limits = DEFAULT_ORG_WRITE_LIMITS;
const queues = new Map<string, PQueue>();

/** Set once at boot from the environment (the backend and the worker). */
export function configureOrgWrites(next: Partial<OrgWriteLimits>): void {
  limits = { ...limits, ...next };
}

/** Runs `work` when the org has a free write slot; refuses with UNAVAILABLE when it waited too long. */
export async function withOrgWriteSlot<T>(orgId: string, work: () => Promise<T>): Promise<T> {
  let queue = queues.get(orgId);
  if (!queue) {
    queue = new PQueue({ concurrency: limits.concurrency });
    queues.set(orgId, queue);
  }
  if (queue.size >= limits.maxQueued) {
    throw unavailable("Too many changes are waiting in this organization; retry shortly");
  }
  // The deadline only covers the wait: once started, a write is never abandoned mid-transaction.
  const waited = new AbortController();
  const timer = setTimeout(() => waited.abort(), limits.maxWaitMs);
  let started = false;
  try {
    return await queue.add(
      () => {
        started = true;
        clearTimeout(timer);
        return work();
      },
      { signal: waited.signal },
    );
  } catch (error) {
    if (!started) throw unavailable("This organization is busy with other changes; retry shortly");
    throw error;
  } finally {
    clearTimeout(timer);
    if (queue.size === 0 && queue.pending === 0 && queues.get(orgId) === queue) queues.delete(orgId);
  }
}
