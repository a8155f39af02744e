import {
  type DbHandle,
  ensureEventDelivery,
  getOrg,
  listEvents,
  systemAdvanceWebhook,
  systemClaimDueWebhooks,
  systemReleaseWebhook,
  type WebhookRow,
} from "@tandem/database";
import {
  attemptDelivery,
  disableFailingWebhook,
  ignoreCommits,
  type Services,
  WEBHOOK_VISIBILITIES,
  type WebhookNetwork,
  wantsEvent,
  webhookBody,
} from "@tandem/domain";
import { traced } from "@tandem/opentelemetry";
import { newId } from "@tandem/util";
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
  services: Services;
  logger: Logger;
  config: WebhookSenderConfig;
}) {
  const { handle, services, logger, config } = params;
  const { db } = handle;
  // An endpoint is held for one attempt's deadline and then some; renewed as it advances.
  const leaseMs = config.network.timeoutMs * 2 + 1000;
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

  /** Delivers what the endpoint wants up to the head seen at claim time; answers when to retry, if it must. */
  async function serve(webhook: WebhookRow & { headSeq: number }): Promise<Date | undefined> {
    const encryptionKey = config.encryptionKey;
    if (!encryptionKey) throw new Error("ENCRYPTION_KEY is unset: webhook secrets cannot be opened");
    let after = webhook.lastSeq;
    while (after < webhook.headSeq && !stopped) {
      const events = await listEvents(db, {
        orgId: webhook.orgId,
        after,
        upto: webhook.headSeq,
        limit: BATCH,
        visibilities: WEBHOOK_VISIBILITIES,
      });
      for (const event of events) {
        if (stopped) return undefined;
        if (!wantsEvent(webhook, event)) continue;
        const delivery = await ensureEventDelivery(db, {
          id: newId("msg"),
          orgId: webhook.orgId,
          webhookId: webhook.id,
          seq: event.seq,
          eventType: event.type,
          body: webhookBody(event),
        });
        if (delivery.status === "pending") {
          if (delivery.nextAttemptAt && delivery.nextAttemptAt.getTime() > Date.now()) return delivery.nextAttemptAt;
          const { row, result } = await attemptDelivery(db, {
            webhook,
            delivery,
            network: config.network,
            encryptionKey,
            retry: { baseMs: config.retryBaseMs, windowMs: config.retryWindowMs },
          });
          if (row.status === "pending") return row.nextAttemptAt ?? new Date(Date.now() + config.retryBaseMs);
          if (row.status === "failed") {
            await systemAdvanceWebhook(db, { webhookId: webhook.id, lastSeq: event.seq, leaseMs });
            await disable(
              webhook,
              `Deliveries failed for ${Math.round(config.retryWindowMs / 60_000)} min (last: ${result.error ?? "error"})`,
            );
            return undefined;
          }
        }
        // Delivered now or before a crash: move past it.
        await systemAdvanceWebhook(db, { webhookId: webhook.id, lastSeq: event.seq, leaseMs });
      }
      // Nothing more it may see up to the head (the rest is admin-only or filtered out).
      after = events.length < BATCH ? webhook.headSeq : (events.at(-1)?.seq ?? webhook.headSeq);
      await systemAdvanceWebhook(db, { webhookId: webhook.id, lastSeq: after, leaseMs });
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
    },
  };
}
