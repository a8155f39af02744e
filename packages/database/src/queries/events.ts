import { and, asc, eq, gt, inArray, type SQL, sql } from "drizzle-orm";
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
 * Appends to the org's event log inside the caller's transaction, optionally running
 * `alongside` (another insert) in the same statement. The counter row lock is held until
 * commit, so `seq` is gapless and commits become visible in `seq` order; callers append last
 * so the lock is held as briefly as possible.
 */
export async function appendEventSql(tx: Transaction, input: NewEvent, alongside?: SQL): Promise<number> {
  const rows = await tx.execute<{ seq: number }>(sql`
    with ${alongside ? sql`side as (${alongside}), ` : sql``}counter as (
      update org_counter set last_event_seq = last_event_seq + 1
       where org_id = ${input.orgId}
      returning last_event_seq as seq
    )
    insert into event (org_id, seq, type, visibility, actor_id, payload)
    select ${input.orgId}, counter.seq, ${input.type}, ${input.visibility}, ${input.actorId},
           ${JSON.stringify(input.payload)}::jsonb
      from counter
    returning seq`);
  const row = rows[0];
  if (!row) throw new Error(`no counter row for org ${input.orgId}`);
  return Number(row.seq);
}

export function appendEvent(tx: Transaction, input: NewEvent): Promise<number> {
  return appendEventSql(tx, input);
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
