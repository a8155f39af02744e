import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import { event, orgCounter } from "../schema/index.ts";

export type EventVisibility = "public" | "members" | "admin";
export type NewEvent = {
  orgId: string;
  type: string;
  visibility: EventVisibility;
  actorId: string | null;
  payload: Record<string, unknown>;
};

/**
 * Appends to the org's event log inside the caller's transaction. The counter row lock is
 * held until commit, so `seq` is gapless and commits become visible in `seq` order.
 */
export async function appendEvent(tx: Transaction, input: NewEvent): Promise<number> {
  const [counter] = await tx
    .update(orgCounter)
    .set({ lastEventSeq: sql`${orgCounter.lastEventSeq} + 1` })
    .where(eq(orgCounter.orgId, input.orgId))
    .returning({ seq: orgCounter.lastEventSeq });
  if (!counter) throw new Error(`no counter row for org ${input.orgId}`);
  await tx.insert(event).values({ ...input, seq: counter.seq });
  return counter.seq;
}

export async function listEvents(
  db: Executor,
  params: { orgId: string; after: number; limit: number; visibilities: EventVisibility[] },
) {
  return db
    .select()
    .from(event)
    .where(
      and(eq(event.orgId, params.orgId), gt(event.seq, params.after), inArray(event.visibility, params.visibilities)),
    )
    .orderBy(asc(event.seq))
    .limit(params.limit);
}

export async function lastEventSeq(db: Executor, { orgId }: { orgId: string }): Promise<number> {
  const [row] = await db.select({ seq: orgCounter.lastEventSeq }).from(orgCounter).where(eq(orgCounter.orgId, orgId));
  return row?.seq ?? 0;
}
