import { z } from "zod";

/** Every endpoint secret starts with this (Standard Webhooks); the rest is 32 random bytes, base64. */
export const WEBHOOK_SECRET_PREFIX = "whsec_";

/** An outbound webhook endpoint as listed: never its secret. */
export const ZWebhook = z.object({
  id: z.string(),
  url: z.string(),
  /** Event-log types sent to it, or `["*"]` for every one a member may see. */
  events: z.array(z.string()),
  /** Only events of this project's tasks (events without a task are still sent); null for all. */
  projectId: z.string().nullable(),
  enabled: z.boolean(),
  /** Why the sender turned it off (after a day of failures); null when it did not. */
  disabledReason: z.string().nullable(),
  /** The last event seq delivered (or given up on) for this endpoint. */
  lastSeq: z.number().int(),
  /** While set and in the future, the previous secret still signs too. */
  previousSecretExpiresAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TWebhook = z.infer<typeof ZWebhook>;

/** The create and rotate answers: the only time the secret is shown. */
export const ZWebhookWithSecret = z.object({ webhook: ZWebhook, secret: z.string() });
export type TWebhookWithSecret = z.infer<typeof ZWebhookWithSecret>;

export const ZWebhookAttempt = z.object({
  at: z.string(),
  /** The receiver's HTTP status; null when no answer came (refused, timeout, network). */
  statusCode: z.number().int().nullable(),
  latencyMs: z.number().int(),
  /** The start of the receiver's answer (at most 4 KB). */
  response: z.string().nullable(),
  error: z.string().nullable(),
});
export type TWebhookAttempt = z.infer<typeof ZWebhookAttempt>;

export const ZWebhookDeliveryStatus = z.enum(["pending", "delivered", "failed"]);

/** One message to one endpoint (its id is the `webhook-id` header, the same on every retry). */
export const ZWebhookDelivery = z.object({
  id: z.string(),
  webhookId: z.string(),
  /** The event's seq; null for a ping. */
  seq: z.number().int().nullable(),
  eventType: z.string(),
  status: ZWebhookDeliveryStatus,
  attempts: z.array(ZWebhookAttempt),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
});
export type TWebhookDelivery = z.infer<typeof ZWebhookDelivery>;
