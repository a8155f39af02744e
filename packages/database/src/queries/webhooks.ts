import { and, desc, eq, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import { outboundDelivery, outboundWebhook, type WebhookAttemptRecord } from "../schema/index.ts";

export type WebhookRow = typeof outboundWebhook.$inferSelect;
export type WebhookDeliveryRow = typeof outboundDelivery.$inferSelect;
type WebhookKey = { orgId: string; webhookId: string };

export async function insertWebhook(tx: Transaction, values: typeof outboundWebhook.$inferInsert): Promise<WebhookRow> {
  const [row] = await tx.insert(outboundWebhook).values(values).returning();
  if (!row) throw new Error("outbound_webhook insert returned nothing");
  return row;
}

export function listWebhooks(db: Executor, { orgId }: { orgId: string }): Promise<WebhookRow[]> {
  return db
    .select()
    .from(outboundWebhook)
    .where(eq(outboundWebhook.orgId, orgId))
    .orderBy(desc(outboundWebhook.createdAt));
}

export async function getWebhook(db: Executor, { orgId, webhookId }: WebhookKey): Promise<WebhookRow | null> {
  const [row] = await db
    .select()
    .from(outboundWebhook)
    .where(and(eq(outboundWebhook.orgId, orgId), eq(outboundWebhook.id, webhookId)));
  return row ?? null;
}

export async function updateWebhookRow(
  db: Executor,
  { orgId, webhookId, values }: WebhookKey & { values: Partial<typeof outboundWebhook.$inferInsert> },
): Promise<WebhookRow | null> {
  const [row] = await db
    .update(outboundWebhook)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(outboundWebhook.orgId, orgId), eq(outboundWebhook.id, webhookId)))
    .returning();
  return row ?? null;
}

export async function deleteWebhookRow(tx: Transaction, { orgId, webhookId }: WebhookKey): Promise<WebhookRow | null> {
  const [row] = await tx
    .delete(outboundWebhook)
    .where(and(eq(outboundWebhook.orgId, orgId), eq(outboundWebhook.id, webhookId)))
    .returning();
  return row ?? null;
}

export function listWebhookDeliveries(
  db: Executor,
  { orgId, webhookId, limit }: WebhookKey & { limit: number },
): Promise<WebhookDeliveryRow[]> {
  return db
    .select()
    .from(outboundDelivery)
    .where(and(eq(outboundDelivery.orgId, orgId), eq(outboundDelivery.webhookId, webhookId)))
    .orderBy(desc(outboundDelivery.createdAt), desc(outboundDelivery.seq))
    .limit(limit);
}

export async function getWebhookDelivery(
  db: Executor,
  { orgId, webhookId, deliveryId }: WebhookKey & { deliveryId: string },
): Promise<WebhookDeliveryRow | null> {
  const [row] = await db
    .select()
    .from(outboundDelivery)
    .where(
      and(
        eq(outboundDelivery.orgId, orgId),
        eq(outboundDelivery.webhookId, webhookId),
        eq(outboundDelivery.id, deliveryId),
      ),
    );
  return row ?? null;
}

export type EventDeliveryValues = {
  id: string;
  orgId: string;
  webhookId: string;
  seq: number;
  eventType: string;
  body: string;
  attempt: WebhookAttemptRecord;
};

function upsertEventDeliveries(rows: readonly EventDeliveryValues[], status: WebhookDeliveryRow["status"]) {
  const values = rows.map(
    (row) => sql`(${row.id}, ${row.orgId}, ${row.webhookId}, ${row.seq}, ${row.eventType}, ${row.body},
      ${status}, 1, ${JSON.stringify([row.attempt])}::jsonb)`,
  );
  return sql`
    insert into outbound_delivery (id, org_id, webhook_id, seq, event_type, body, status, attempt_count, attempts)
    values ${sql.join(values, sql`, `)}
    on conflict (webhook_id, seq) do update set
      status = excluded.status,
      attempt_count = outbound_delivery.attempt_count + 1,
      attempts = outbound_delivery.attempts || excluded.attempts,
      next_attempt_at = null`;
}

/**
 * Events delivered to one endpoint (in seq order): their delivery rows (made, or an attempt
 * appended) and the endpoint's cursor past the last, in one statement, so the sender's hot
 * path costs one round trip per batch, not per event.
 */
export async function deliveredAndAdvanced(
  db: Executor,
  params: { orgId: string; webhookId: string; leaseMs: number; delivered: readonly EventDeliveryValues[] },
): Promise<void> {
  const lastSeq = params.delivered.at(-1)?.seq;
  if (lastSeq === undefined) return;
  await db.execute(sql`
    with delivery as (${upsertEventDeliveries(params.delivered, "delivered")} returning 1)
    update outbound_webhook set last_seq = greatest(last_seq, ${lastSeq}), retry_at = null,
      lease_until = now() + make_interval(secs => ${params.leaseMs / 1000})
    where id = ${params.webhookId} and org_id = ${params.orgId}`);
}

/** A failed attempt of an event's delivery, recorded (the row made on the first one); answers the row. */
export async function recordFailedEventAttempt(db: Executor, values: EventDeliveryValues): Promise<WebhookDeliveryRow> {
  const [row] = await db.execute<{ id: string }>(sql`${upsertEventDeliveries([values], "pending")} returning id`);
  const found = row
    ? await getWebhookDelivery(db, { orgId: values.orgId, webhookId: values.webhookId, deliveryId: row.id })
    : null;
  if (!found) throw new Error("outbound_delivery upsert returned nothing");
  return found;
}

/** What happens next to a failing delivery: a retry at `nextAttemptAt`, or failed for good. */
export async function scheduleDelivery(
  db: Executor,
  { orgId, deliveryId, nextAttemptAt }: { orgId: string; deliveryId: string; nextAttemptAt: Date | null },
): Promise<void> {
  await db
    .update(outboundDelivery)
    .set(nextAttemptAt ? { nextAttemptAt } : { status: "failed", nextAttemptAt: null })
    .where(and(eq(outboundDelivery.orgId, orgId), eq(outboundDelivery.id, deliveryId)));
}

export async function insertDelivery(
  db: Executor,
  values: typeof outboundDelivery.$inferInsert,
): Promise<WebhookDeliveryRow> {
  const [row] = await db.insert(outboundDelivery).values(values).returning();
  if (!row) throw new Error("outbound_delivery insert returned nothing");
  return row;
}

/** Appends an attempt and sets the delivery's status (and when it is tried next, if it is). */
export async function recordDeliveryAttempt(
  db: Executor,
  params: {
    orgId: string;
    deliveryId: string;
    attempt: WebhookAttemptRecord;
    status: WebhookDeliveryRow["status"];
    nextAttemptAt: Date | null;
  },
): Promise<WebhookDeliveryRow | null> {
  const [row] = await db
    .update(outboundDelivery)
    .set({
      attempts: sql`${outboundDelivery.attempts} || ${JSON.stringify([params.attempt])}::jsonb`,
      attemptCount: sql`${outboundDelivery.attemptCount} + 1`,
      status: params.status,
      nextAttemptAt: params.nextAttemptAt,
    })
    .where(and(eq(outboundDelivery.orgId, params.orgId), eq(outboundDelivery.id, params.deliveryId)))
    .returning();
  return row ?? null;
}
