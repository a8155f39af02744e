import { createHash } from "node:crypto";
import {
  connect,
  type DbHandle,
  deliveredAndAdvanced,
  type EventDeliveryValues,
  getOrg,
  isEmbeddedUrl,
  listEvents,
  projectsOfTasks,
  recordFailedEventAttempt,
  scheduleDelivery,
  systemAdvanceWebhook,
  systemClaimDueWebhooks,
  systemReleaseWebhook,
  type WebhookRow,
} from "@tandem/database";
import {
  type AttemptResult,
  disableFailingWebhook,
  ignoreCommits,
  postWebhook,
  retryDelayMs,
  type Services,
  signingSecrets,
  unplacedTaskIds,
  WEBHOOK_VISIBILITIES,
  type WebhookNetwork,
  wantsEvent,
  webhookBody,
} from "@tandem/domain";
import { traced } from "@tandem/opentelemetry";
import type { Logger } from "@tandem/util/server";

export type WebhookSenderConfig = {
  network: WebhookNetwork;
  encryptionKey: string | undefined;
  /** First retry delay; retry n waits base·4^(n−1) (at most 6 h). */
  retryBaseMs: number;
  /** A delivery still failing when its next retry would fall past this (from its first attempt) is failed. */
  retryWindowMs: number;
  /** Endpoints served at once (each one strictly in seq order). */
  concurrency: number;
  /** How often due endpoints are looked for without a wake-up (retries, the embedded database). */
  pollMs: number;
  /** Wake on each committed event (LISTEN); off on the embedded database. */
  listen: boolean;
};

const BATCH = 200;
/** Delivered events logged per statement. */
const LOG_BATCH = 50;

/** The same id for an event's delivery to an endpoint on every attempt, even after a crash. */
function eventDeliveryId(webhookId: string, seq: number): string {
  return `msg_${createHash("sha256").update(`${webhookId}:${seq}`).digest("hex").slice(0, 24)}`;
}

function toAttempt(result: AttemptResult) {
  return {
    at: new Date().toISOString(),
    statusCode: result.statusCode,
    latencyMs: result.latencyMs,
    response: result.response,
    error: result.error,
  };
}

/**
 * Follows every org's event log for its webhook endpoints and delivers, per endpoint, in seq
 * order and at least once: an endpoint's cursor moves only past an event that was delivered
 * (or failed for the whole retry window), so a crash at any point sends the event again. A
 * failing event holds the endpoint (later events wait) until its retry; failing for the whole
 * window disables the endpoint and tells the admins (UPDATE_WEBHOOK on the admin channel).
 * Mutations never wait for any of this: the sender only reads the log they wrote.
 */
export async function startWebhookSender(params: {
  handle: DbHandle;
  databaseUrl: string;
  services: Services;
  logger: Logger;
  config: WebhookSenderConfig;
}) {
  const { handle, services, logger, config } = params;
  const { db } = handle;
  const { network } = config;
  // The delivery log and cursors commit without waiting for the disk: a move lost in a crash
  // only sends an event again (at least once holds). The admins' notice uses the main pool.
  const logHandle = isEmbeddedUrl(params.databaseUrl)
    ? handle
    : connect(params.databaseUrl, {
        applicationName: "tandem-webhooks",
        max: Math.min(config.concurrency + 2, 20),
        synchronousCommit: "off",
      });
  const log = logHandle.db;
  // An endpoint is held for one attempt's deadline and then some; renewed as it advances.
  const leaseMs = network.timeoutMs * 2 + 1000;
  const inFlight = new Map<string, Promise<void>>();
  let stopped = false;
  let filling = false;
  let refill = false;

  async function disable(webhook: WebhookRow, reason: string) {
    const org = await getOrg(db, { orgId: webhook.orgId });
    if (!org) return;
    await disableFailingWebhook({
      ctx: { db, notify: ignoreCommits, services, org, actor: { type: "system", userId: null } },
      input: { webhookId: webhook.id, reason },
    });
    logger.warn("webhook disabled after failing for its whole retry window", { webhookId: webhook.id, reason });
  }

  /** A failed attempt: a retry after the backoff, or, past the window, the delivery failed and the endpoint off. */
  async function failed(
    webhook: WebhookRow,
    values: EventDeliveryValues,
    error: string | null,
  ): Promise<Date | undefined> {
    const row = await recordFailedEventAttempt(log, values);
    const next = Date.now() + retryDelayMs(row.attemptCount, config.retryBaseMs);
    if (next - row.createdAt.getTime() <= config.retryWindowMs) {
      await scheduleDelivery(log, { orgId: webhook.orgId, deliveryId: row.id, nextAttemptAt: new Date(next) });
      return new Date(next);
    }
    await scheduleDelivery(log, { orgId: webhook.orgId, deliveryId: row.id, nextAttemptAt: null });
    await systemAdvanceWebhook(log, { webhookId: webhook.id, lastSeq: values.seq, leaseMs });
    const hours = Math.round(config.retryWindowMs / 360_000) / 10;
    await disable(webhook, `Deliveries failed for ${hours} h (last: ${error ?? "error"})`);
    return undefined;
  }

  /** Delivers what the endpoint wants up to the head seen at claim time; answers when to retry, if it must. */
  async function serve(webhook: WebhookRow & { headSeq: number }): Promise<Date | undefined> {
    if (!config.encryptionKey) throw new Error("ENCRYPTION_KEY is unset: webhook secrets cannot be opened");
    const secrets = signingSecrets(webhook, config.encryptionKey);
    let after = webhook.lastSeq;
    while (after < webhook.headSeq && !stopped) {
      const events = await listEvents(db, {
        orgId: webhook.orgId,
        after,
        upto: webhook.headSeq,
        limit: BATCH,
        visibilities: WEBHOOK_VISIBILITIES,
      });
      // Delivered events are logged (and the cursor moved past them) a batch at a time; a crash
      // before the write sends them again, which at least once allows.
      // Each write renews the hold on the endpoint: written often enough that it never lapses
      // while this sender still works on it (one attempt takes at most the timeout).
      const delivered: EventDeliveryValues[] = [];
      let renewedAt = performance.now();
      const flush = async () => {
        const batch = delivered.splice(0);
        await deliveredAndAdvanced(log, { orgId: webhook.orgId, webhookId: webhook.id, leaseMs, delivered: batch });
        renewedAt = performance.now();
      };
      // An endpoint of one project: the projects of the tasks that comments, attachments and
      // relations name, looked up once per batch.
      const projectOfTask = webhook.projectId
        ? await projectsOfTasks(db, { orgId: webhook.orgId, ids: [...new Set(events.flatMap(unplacedTaskIds))] })
        : undefined;
      for (const event of events) {
        if (stopped) break;
        if (!wantsEvent(webhook, event, projectOfTask)) continue;
        const values = {
          id: eventDeliveryId(webhook.id, event.seq),
          orgId: webhook.orgId,
          webhookId: webhook.id,
          seq: event.seq,
          eventType: event.type,
          body: webhookBody(event),
        };
        const result = await postWebhook({ url: webhook.url, msgId: values.id, body: values.body, secrets, network });
        const attempt = toAttempt(result);
        if (result.ok) {
          delivered.push({ ...values, attempt });
          if (delivered.length >= LOG_BATCH || performance.now() - renewedAt > leaseMs / 3) await flush();
          continue;
        }
        await flush();
        return failed(webhook, { ...values, attempt }, result.error);
      }
      await flush();
      if (stopped) return undefined;
      // Nothing more it may see up to the head (the rest is admin-only or filtered out).
      after = events.length < BATCH ? webhook.headSeq : (events.at(-1)?.seq ?? webhook.headSeq);
      await systemAdvanceWebhook(log, { webhookId: webhook.id, lastSeq: after, leaseMs });
    }
    return undefined;
  }

  function run(webhook: WebhookRow & { headSeq: number }) {
    const done = traced("job.webhook-send", () => serve(webhook), { "tandem.org_id": webhook.orgId })
      .then((retryAt) => systemReleaseWebhook(db, { webhookId: webhook.id, retryAt }))
      .catch((error: unknown) => {
        logger.error("webhook sender failed", { webhookId: webhook.id, error: String(error) });
        // Let go after a pause, so a broken endpoint does not spin.
        return systemReleaseWebhook(db, { webhookId: webhook.id, retryAt: new Date(Date.now() + config.retryBaseMs) });
      })
      .catch(() => {})
      .finally(() => {
        inFlight.delete(webhook.id);
        void fill();
      });
    inFlight.set(webhook.id, done);
  }

  /** Claims due endpoints into the free slots, again while claims come back full. */
  async function fill(): Promise<void> {
    if (filling) {
      refill = true;
      return;
    }
    filling = true;
    try {
      do {
        refill = false;
        const free = config.concurrency - inFlight.size;
        if (free <= 0 || stopped) break;
        const claimed = await systemClaimDueWebhooks(db, { limit: free, leaseMs });
        for (const webhook of claimed) run(webhook);
        if (claimed.length === free) refill = true;
      } while (refill && !stopped);
    } catch (error) {
      logger.error("webhook claim failed", { error: String(error) });
    } finally {
      filling = false;
    }
  }

  const timer = setInterval(() => void fill(), config.pollMs);
  const listener = config.listen ? await handle.sql.listen("tandem_events", () => void fill()) : null;
  void fill();
  return {
    wake: () => fill(),
    /** Stops claiming and waits for the deliveries in flight (each bounded by the timeout). */
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await listener?.unlisten().catch(() => {});
      await Promise.all(inFlight.values());
      if (logHandle !== handle) await logHandle.close();
    },
  };
}
