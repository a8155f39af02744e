import type { TWebhook, TWebhookDelivery } from "@tandem/contracts";
import {
  type Executor,
  getWebhook,
  getWebhookDelivery,
  insertDelivery,
  listWebhookDeliveries as listDeliveryRows,
  recordDeliveryAttempt,
  updateWebhookRow,
  type WebhookDeliveryRow,
  type WebhookRow,
} from "@tandem/database";
import { newId } from "@tandem/util";
import { decryptSecret } from "@tandem/util/server";
import { type Ctx, defineMutation, defineQuery } from "../context.ts";
import { invalid, notFound } from "../errors.ts";
import { recordEvent } from "../record-event.ts";
import { toWebhookDto } from "./endpoints.ts";
import { postWebhook, type WebhookNetwork } from "./network.ts";
import { pingBody } from "./payload.ts";

const PERMISSION = "admin.manageSettings";

export function toDeliveryDto(row: WebhookDeliveryRow): TWebhookDelivery {
  return {
    id: row.id,
    webhookId: row.webhookId,
    seq: row.seq,
    eventType: row.eventType,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt ? row.nextAttemptAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The secrets that sign now: the current one, and the previous one during its grace period. */
export function signingSecrets(webhook: WebhookRow, encryptionKey: string, now = new Date()): string[] {
  const secrets = [decryptSecret(webhook.secretEncrypted, encryptionKey)];
  if (webhook.previousSecretEncrypted && webhook.previousSecretExpiresAt && webhook.previousSecretExpiresAt > now) {
    secrets.push(decryptSecret(webhook.previousSecretEncrypted, encryptionKey));
  }
  return secrets;
}

/** Retry n (1-based) waits base·4^(n−1), at most six hours: 30 s, 2 min, 8 min, … with the default base. */
export function retryDelayMs(failures: number, baseMs: number): number {
  return Math.min(baseMs * 4 ** Math.max(0, failures - 1), 6 * 3600_000);
}

/**
 * One manual attempt (ping, redelivery), recorded on the delivery: a success marks it
 * delivered; a failed ping is failed; a failed redelivery leaves the sender's own retries be.
 */
export async function attemptDelivery(
  db: Executor,
  params: { webhook: WebhookRow; delivery: WebhookDeliveryRow; network: WebhookNetwork; encryptionKey: string },
): Promise<WebhookDeliveryRow> {
  const { webhook, delivery } = params;
  const result = await postWebhook({
    url: webhook.url,
    msgId: delivery.id,
    body: delivery.body,
    secrets: signingSecrets(webhook, params.encryptionKey),
    network: params.network,
  });
  const failed = delivery.seq === null ? "failed" : delivery.status;
  const row = await recordDeliveryAttempt(db, {
    orgId: delivery.orgId,
    deliveryId: delivery.id,
    attempt: {
      at: new Date().toISOString(),
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
      response: result.response,
      error: result.error,
    },
    status: result.ok ? "delivered" : failed,
    nextAttemptAt: result.ok ? null : delivery.nextAttemptAt,
  });
  return row ?? delivery;
}

function keyOf(ctx: Ctx): string {
  if (!ctx.services.encryptionKey) throw invalid("webhookId", "Webhooks need ENCRYPTION_KEY on the server");
  return ctx.services.encryptionKey;
}

async function endpointOf(ctx: Ctx, webhookId: string): Promise<WebhookRow> {
  const webhook = await getWebhook(ctx.db, { orgId: ctx.org.id, webhookId });
  if (!webhook) throw notFound("Webhook");
  return webhook;
}

export const listWebhookDeliveries = defineQuery<{ webhookId: string; limit: number }, TWebhookDelivery[]>(
  "webhook.deliveries",
  PERMISSION,
  async ({ ctx, input }) => {
    await endpointOf(ctx, input.webhookId);
    const rows = await listDeliveryRows(ctx.db, { orgId: ctx.org.id, ...input });
    return rows.map(toDeliveryDto);
  },
);

/**
 * Sends a delivery again now, with the same id and body (receivers deduplicate by
 * `webhook-id`), whatever its status; a success marks it delivered. Answers once the
 * receiver has (at most the webhook timeout).
 */
export const redeliverWebhook = defineQuery<{ webhookId: string; deliveryId: string }, TWebhookDelivery>(
  "webhook.redeliver",
  PERMISSION,
  async ({ ctx, input }) => {
    const key = keyOf(ctx);
    const webhook = await endpointOf(ctx, input.webhookId);
    const delivery = await getWebhookDelivery(ctx.db, { orgId: ctx.org.id, ...input });
    if (!delivery) throw notFound("Delivery");
    const row = await attemptDelivery(ctx.db, {
      webhook,
      delivery,
      network: ctx.services.webhooks,
      encryptionKey: key,
    });
    return toDeliveryDto(row);
  },
);

/** Sends a signed `PING` now (enabled or not) and answers with its delivery. */
export const pingWebhook = defineQuery<{ webhookId: string }, TWebhookDelivery>(
  "webhook.ping",
  PERMISSION,
  async ({ ctx, input }) => {
    const key = keyOf(ctx);
    const webhook = await endpointOf(ctx, input.webhookId);
    const delivery = await insertDelivery(ctx.db, {
      id: newId("msg"),
      orgId: ctx.org.id,
      webhookId: webhook.id,
      seq: null,
      eventType: "PING",
      body: pingBody(webhook),
    });
    const row = await attemptDelivery(ctx.db, {
      webhook,
      delivery,
      network: ctx.services.webhooks,
      encryptionKey: key,
    });
    return toDeliveryDto(row);
  },
);

/**
 * The sender gave up on an endpoint (a delivery failed for the whole retry window): it is
 * turned off with the reason, and the admins hear of it on the admin channel (UPDATE_WEBHOOK).
 */
export const disableFailingWebhook = defineMutation<{ webhookId: string; reason: string }, TWebhook | null>(
  "webhook.disable",
  null,
  async ({ ctx, input }) => {
    const row = await updateWebhookRow(ctx.tx, {
      orgId: ctx.org.id,
      webhookId: input.webhookId,
      values: { enabled: false, disabledReason: input.reason, retryAt: null, leaseUntil: null },
    });
    if (!row) return null;
    const webhook = toWebhookDto(row);
    await recordEvent(ctx, { type: "UPDATE_WEBHOOK", payload: { webhook } });
    return webhook;
  },
);
