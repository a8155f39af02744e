import { Webhooks } from "@octokit/webhooks";
import type { DbHandle } from "@tandem/database";
import { injectTraceContext, traced } from "@tandem/opentelemetry";
import { type PgBoss, QUEUES } from "@tandem/queue";
import type { Logger } from "@tandem/util/server";
import { Hono } from "hono";

/** Events the sync applies; anything else is acknowledged and ignored. */
export const HANDLED_EVENTS = new Set(["issues", "pull_request", "issue_comment", "installation", "ping"]);

type ReceiveDeps = { handle: DbHandle; queue: PgBoss; secret: string; maxBytes: number; logger: Logger };
const error = (code: string, message: string) => ({ error: { code, message } });

/**
 * `POST /webhooks/github`: verify the signature over the raw body (constant time), record the
 * delivery id once, enqueue, answer 202. The delivery row and the job are written in one
 * transaction, so a stored delivery always has its job and a redelivery is a no-op.
 */
export function receiveRoutes(deps: ReceiveDeps) {
  const webhooks = new Webhooks({ secret: deps.secret });
  return new Hono().post("/webhooks/github", async (c) => {
    const length = Number(c.req.header("content-length") ?? 0);
    if (length > deps.maxBytes) return c.json(error("PAYLOAD_TOO_LARGE", "Webhook body too large"), 413);
    const raw = await c.req.text();
    if (raw.length > deps.maxBytes) return c.json(error("PAYLOAD_TOO_LARGE", "Webhook body too large"), 413);
    const signature = c.req.header("x-hub-signature-256") ?? "";
    const event = c.req.header("x-github-event") ?? "";
    const deliveryId = c.req.header("x-github-delivery") ?? "";
    return traced(
      "webhook.receive",
      async () => {
        const valid = signature !== "" && (await webhooks.verify(raw, signature).catch(() => false));
        if (!valid) return c.json(error("UNAUTHORIZED", "Bad or missing X-Hub-Signature-256"), 401);
        if (!deliveryId || deliveryId.length > 100)
          return c.json(error("BAD_REQUEST", "Missing X-GitHub-Delivery"), 400);
        if (!HANDLED_EVENTS.has(event)) return c.json({ status: "ignored", event }, 202);
        let payload: { action?: string; repository?: { full_name?: string } };
        try {
          payload = JSON.parse(raw);
        } catch {
          return c.json(error("BAD_REQUEST", "Body is not JSON"), 400);
        }
        const queued = await deps.handle.sql.begin(async (tx) => {
          const inserted = await tx`
          insert into webhook_delivery (id, event, action, repository, status)
          values (${deliveryId}, ${event}, ${payload.action ?? null}, ${payload.repository?.full_name ?? null}, 'queued')
          on conflict (id) do nothing
          returning id`;
          if (inserted.length === 0) return false;
          await deps.queue.send(
            QUEUES.githubEvent,
            { deliveryId, event, payload, trace: injectTraceContext() },
            {
              singletonKey: deliveryId,
              db: { executeSql: async (text, values) => ({ rows: await tx.unsafe(text, values as never[]) }) },
            },
          );
          return true;
        });
        deps.logger.info("webhook", { deliveryId, event, action: payload.action, duplicate: !queued });
        return c.json({ status: queued ? "queued" : "duplicate", deliveryId }, 202);
      },
      { "github.event": event, "github.delivery": deliveryId },
    );
  });
}
