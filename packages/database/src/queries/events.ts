import type { TEventInput, TEventVisibility } from "@tandem/contracts";
import { and, asc, eq, getTableColumns, gt, inArray, lte, min, type SQL, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import { executePrepared } from "../prepared.ts";
import { event, eventCursor, orgCounter } from "../schema/index.ts";

export type EventVisibility = TEventVisibility;
/** An event to append: its type and payload checked against the catalogue (`@tandem/contracts`). */
export type NewEvent = TEventInput & {
  orgId: string;
  visibility: EventVisibility;
  actorId: string | null;
  /** The API key that made the change, if one did (`actorId` is then its creator). */
  actorKey?: { id: string; name: string } | null;
  origin?: string | null;
};

/** A nullable JSON value as a raw-SQL parameter (cast with `::jsonb` by the caller). */
export function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/**
 * Appends to the org's event log inside the caller's transaction, optionally running
 * `alongside` (another insert) in the same statement. The counter row lock is held until
 * commit, so `seq` is gapless and commits become visible in `seq` order; callers append last
 * so the lock is held as briefly as possible.
 */
/** The seqs each open transaction appended, for the verb to report after commit. */
const appended = new WeakMap<Transaction, number>();

/** The seq of the last event this transaction appended, if it appended any. */
export function lastAppendedSeq(tx: Transaction): number | undefined {
  return appended.get(tx);
}

/** Records an event this transaction appended (every statement that inserts an event calls it). */
export function noteAppended(tx: Transaction, seq: number): number {
  appended.set(tx, seq);
  return seq;
}

export async function appendEventSql(tx: Transaction, input: NewEvent, alongside?: SQL): Promise<number> {
  const rows = await executePrepared<{ seq: number }>(
    tx,
    "event_append",
    sql`
    with ${alongside ? sql`side as (${alongside}), ` : sql``}counter as (
      update org_counter set last_event_seq = last_event_seq + 1
       where org_id = ${input.orgId}
      returning last_event_seq as seq
    )
    insert into event (org_id, seq, type, visibility, actor_id, actor_key, origin, payload)
    select ${input.orgId}, counter.seq, ${input.type}, ${input.visibility}, ${input.actorId},
           ${jsonOrNull(input.actorKey)}::jsonb, ${input.origin ?? null},
           ${JSON.stringify(input.payload)}::jsonb
      from counter
    returning seq`,
  );
  const row = rows[0];
  if (!row) throw new Error(`no counter row for org ${input.orgId}`);
  return noteAppended(tx, Number(row.seq));
}

export function appendEvent(tx: Transaction, input: NewEvent): Promise<number> {
  return appendEventSql(tx, input);
}

/**
 * A logged event: a union on `type`, so `payload` is typed by it. The log holds only what
 * `NewEvent` let writers append, which is why rows read back are typed without parsing.
 */
export type EventRow = Omit<typeof event.$inferSelect, "type" | "payload"> & TEventInput;

/**
 * Events after `after` (and up to `upto` when given), in seq order. With `descriptionChars`,
 * a task's description comes back cut to that length (readers that show an excerpt need not
 * pull 100 kB descriptions out of the database).
 */
export async function listEvents(
  db: Executor,
  params: {
    orgId: string;
    after: number;
    upto?: number;
    limit: number;
    visibilities: readonly EventVisibility[];
    descriptionChars?: number;
  },
): Promise<EventRow[]> {
  const path = sql.raw(`'{task,description}'`);
  const columns =
    params.descriptionChars === undefined
      ? getTableColumns(event)
      : {
          ...getTableColumns(event),
          payload: sql<TEventInput["payload"]>`case when ${event.payload} #> ${path} is null then ${event.payload}
            else jsonb_set(${event.payload}, ${path}, to_jsonb(left(${event.payload} #>> ${path}, ${params.descriptionChars}))) end`.mapWith(
            event.payload,
          ),
        };
  const rows = await db
    .select(columns)
    .from(event)
    .where(
      and(
        eq(event.orgId, params.orgId),
        gt(event.seq, params.after),
        params.upto === undefined ? undefined : lte(event.seq, params.upto),
        inArray(event.visibility, [...params.visibilities]),
      ),
    )
    .orderBy(asc(event.seq))
    .limit(params.limit)
    .prepare("event_list")
    .execute();
  // A row's type and payload were written together from one `NewEvent`: they still match.
  return rows as EventRow[];
}

export async function lastEventSeq(db: Executor, { orgId }: { orgId: string }): Promise<number> {
  const [row] = await db.select({ seq: orgCounter.lastEventSeq }).from(orgCounter).where(eq(orgCounter.orgId, orgId));
  return row?.seq ?? 0;
}

/** The oldest retained seq of an org's log (null when empty) and its last seq. */
export async function eventBounds(db: Executor, { orgId }: { orgId: string }) {
  const [row] = await db
    .select({ oldest: min(event.seq), last: orgCounter.lastEventSeq })
    .from(orgCounter)
    .leftJoin(event, eq(event.orgId, orgCounter.orgId))
    .where(eq(orgCounter.orgId, orgId))
    .groupBy(orgCounter.lastEventSeq);
  return { oldest: row?.oldest ?? null, last: row?.last ?? 0 };
}

/** A consumer's position in an org's log; null when it has never read it. */
export async function getEventCursor(db: Executor, { consumer, orgId }: { consumer: string; orgId: string }) {
  const [row] = await db
    .select()
    .from(eventCursor)
    .where(and(eq(eventCursor.consumer, consumer), eq(eventCursor.orgId, orgId)));
  return row?.lastSeq ?? null;
}

export async function setEventCursor(
  db: Executor,
  { consumer, orgId, lastSeq }: { consumer: string; orgId: string; lastSeq: number },
) {
  await db
    .insert(eventCursor)
    .values({ consumer, orgId, lastSeq })
    .onConflictDoUpdate({ target: [eventCursor.consumer, eventCursor.orgId], set: { lastSeq } });
}
