import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { user } from "./auth.ts";
import { organization } from "./orgs.ts";

export type WebhookAttemptRecord = {
  at: string;
  statusCode: number | null;
  latencyMs: number;
  response: string | null;
  error: string | null;
};

/**
 * An org's outbound webhook endpoints (SPEC §15). The secret is sealed with ENCRYPTION_KEY;
 * after a rotation the previous one signs too until `previous_secret_expires_at`. `last_seq`
 * is the endpoint's cursor in the org's event log: the sender moves it only once the event at
 * it was delivered (or given up on), so events go out in seq order, at least once.
 */
export const outboundWebhook = pgTable(
  "outbound_webhook",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    events: jsonb("events").$type<string[]>().notNull(),
    /** Projects are not in this schema yet: a plain id, compared with the event's task.projectId. */
    projectId: text("project_id"),
    enabled: boolean("enabled").notNull().default(true),
    disabledReason: text("disabled_reason"),
    secretEncrypted: text("secret_encrypted").notNull(),
    previousSecretEncrypted: text("previous_secret_encrypted"),
    previousSecretExpiresAt: timestamp("previous_secret_expires_at", { withTimezone: true }),
    lastSeq: bigint("last_seq", { mode: "number" }).notNull(),
    /** The head delivery failed: nothing is sent to this endpoint before then. */
    retryAt: timestamp("retry_at", { withTimezone: true }),
    /** A sender holds the endpoint until then (one sender per endpoint keeps the order). */
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("outbound_webhook_org_idx").on(t.orgId, t.createdAt)],
);

/**
 * One message to one endpoint: an event (by seq) or a ping. Its id is the `webhook-id` the
 * receiver sees on every attempt; the body is kept as sent, so a retry or a redelivery signs
 * the same bytes. Attempts are appended in order (each with status, latency, ≤4 KB of answer).
 */
export const outboundDelivery = pgTable(
  "outbound_delivery",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    webhookId: text("webhook_id")
      .notNull()
      .references(() => outboundWebhook.id, { onDelete: "cascade" }),
    seq: bigint("seq", { mode: "number" }),
    eventType: text("event_type").notNull(),
    body: text("body").notNull(),
    status: text("status").$type<"pending" | "delivered" | "failed">().notNull().default("pending"),
    attemptCount: integer("attempt_count").notNull().default(0),
    attempts: jsonb("attempts").$type<WebhookAttemptRecord[]>().notNull().default([]),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("outbound_delivery_event_uq").on(t.webhookId, t.seq),
    index("outbound_delivery_webhook_idx").on(t.webhookId, t.createdAt),
  ],
);
