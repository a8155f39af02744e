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

/** The delivery of an event to an endpoint: made once, then the same row on every retry. */
export async function ensureEventDelivery(
  db: Executor,
  values: { id: string; orgId: string; webhookId: string; seq: number; eventType: string; body: string },
): Promise<WebhookDeliveryRow> {
  const [made] = await db.insert(outboundDelivery).values(values).onConflictDoNothing().returning();
  if (made) return made;
  const [found] = await db
    .select()
    .from(outboundDelivery)
    .where(and(eq(outboundDelivery.webhookId, values.webhookId), eq(outboundDelivery.seq, values.seq)));
  if (!found) throw new Error("outbound_delivery vanished");
  return found;
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
