import { Webhooks } from "@octokit/webhooks";
import {
  type DbHandle,
  findOrgRepoLink,
  type RepoLinkRow,
  systemGetRepoLink,
  systemInsertDelivery,
  systemInstallationOwner,
  withQueueTransaction,
} from "@tandem/database";
import { storableJson } from "@tandem/domain";
import { injectTraceContext, traced } from "@tandem/opentelemetry";
import { type PgBoss, QUEUES } from "@tandem/queue";
import { decryptSecret, type Logger } from "@tandem/util/server";
import { type Context, Hono } from "hono";
import { requestId } from "hono/request-id";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Events the sync applies; anything else is acknowledged and ignored. */
export const HANDLED_EVENTS = new Set([
  "issues",
  "pull_request",
  "pull_request_review",
  "issue_comment",
  "label",
  "installation",
  "ping",
]);
/** Events whose payload is applied to the link's repository. */
const REPOSITORY_EVENTS = new Set(["issues", "pull_request", "pull_request_review", "issue_comment", "label"]);

type ReceiveDeps = {
  handle: DbHandle;
  queue: PgBoss;
  /** The GitHub App's webhook secret; unset: App mode is off and only per-link URLs take deliveries. */
  appSecret: string | undefined;
  encryptionKey: string | undefined;
  maxBytes: number;
  logger: Logger;
  /** Told after a delivery was queued (committed). */
  onQueued: () => void;
};

type Payload = Record<string, unknown> & {
  action?: unknown;
  repository?: { id?: unknown; full_name?: unknown };
  installation?: { id?: unknown };
};
type Env = { Variables: { requestId: string } };

function fail(c: Context<Env>, status: ContentfulStatusCode, code: string, message: string, field?: string) {
  return c.json({ error: { code, message, requestId: c.get("requestId"), ...(field ? { field } : {}) } }, status);
}

const DELIVERY_ID = /^[A-Za-z0-9-]{1,100}$/;
const LINK_ID = /^[A-Za-z0-9_-]{1,64}$/;
const text = (value: unknown, max: number) => (typeof value === "string" ? value.slice(0, max) : null);

/** Whether a delivery's repository is the one the link names (by GitHub's id once known). */
function sameRepository(link: RepoLinkRow, payload: Payload): boolean {
  const id = payload.repository?.id;
  if (link.githubRepoId !== null) return id === link.githubRepoId;
  const name = text(payload.repository?.full_name, 200);
  return name !== null && name.toLowerCase() === link.fullName.toLowerCase();
}

/**
 * `POST /webhooks/github/:linkId` (a link's own URL, verified with its own secret) and
 * `POST /webhooks/github` (GitHub App mode: the global secret, routed only by an installation an
 * org has claimed). Either way a delivery reaches exactly one link, or none. The delivery row and
 * the job are written in one transaction, so a stored delivery always has its job and a
 * redelivery is a no-op.
 */
export function receiveRoutes(deps: ReceiveDeps) {
  /** Size, signature, headers and JSON: the checks both routes share, in the order that leaks least. */
  async function readDelivery(c: Context<Env>, secret: string | null) {
    const length = Number(c.req.header("content-length") ?? 0);
    if (length > deps.maxBytes) return { error: fail(c, 413, "PAYLOAD_TOO_LARGE", "Webhook body too large") };
    const raw = await c.req.text();
    if (raw.length > deps.maxBytes) return { error: fail(c, 413, "PAYLOAD_TOO_LARGE", "Webhook body too large") };
    const signature = c.req.header("x-hub-signature-256") ?? "";
    const valid =
      secret !== null && signature !== "" && (await new Webhooks({ secret }).verify(raw, signature).catch(() => false));
    if (!valid) return { error: fail(c, 401, "UNAUTHORIZED", "Bad or missing X-Hub-Signature-256") };
    const deliveryId = c.req.header("x-github-delivery") ?? "";
    if (!DELIVERY_ID.test(deliveryId)) {
      return { error: fail(c, 400, "BAD_REQUEST", "Missing or malformed X-GitHub-Delivery", "x-github-delivery") };
    }
    const event = c.req.header("x-github-event") ?? "";
    if (!HANDLED_EVENTS.has(event)) return { error: c.json({ status: "ignored", event }, 202) };
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { error: fail(c, 400, "BAD_REQUEST", "Body is not JSON", "body") };
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
      return { error: fail(c, 400, "BAD_REQUEST", "Body is not a JSON object", "body") };
    }
    return { deliveryId, event, payload: storableJson(parsed) as Payload };
  }

  async function enqueue(
    c: Context<Env>,
    delivery: { deliveryId: string; event: string; payload: Payload },
    link: RepoLinkRow,
  ) {
    const { deliveryId, event, payload } = delivery;
    const action = text(payload.action, 100);
    const queued = await withQueueTransaction(deps.handle, async (tx, db) => {
      const repository = text(payload.repository?.full_name, 200);
      const inserted = await systemInsertDelivery(tx, { id: deliveryId, linkId: link.id, event, action, repository });
      if (!inserted) return false;
      await deps.queue.send(
        QUEUES.githubEvent,
        {
          deliveryId,
          linkId: link.id,
          event,
          payload,
          receivedAt: new Date().toISOString(),
          trace: injectTraceContext(),
        },
        { singletonKey: deliveryId, db },
      );
      return true;
    });
    if (queued) deps.onQueued();
    deps.logger.info("webhook", { deliveryId, event, action, linkId: link.id, duplicate: !queued });
    return c.json({ status: queued ? "queued" : "duplicate", deliveryId }, 202);
  }

  const ignored = (c: Context<Env>, deliveryId: string, reason: string) => {
    deps.logger.info("webhook ignored", { deliveryId, reason });
    return c.json({ status: "ignored", deliveryId, reason }, 202);
  };

  return new Hono<Env>()
    .use(requestId())
    .post("/webhooks/github/:linkId", async (c) => {
      const linkId = c.req.param("linkId");
      return traced(
        "webhook.receive",
        async () => {
          const link = LINK_ID.test(linkId) ? await systemGetRepoLink(deps.handle.db, { id: linkId }) : undefined;
          // An unknown link and a wrong secret look the same from outside.
          const secret =
            link?.enabled && link.webhookSecretEncrypted && deps.encryptionKey
              ? decryptSecret(link.webhookSecretEncrypted, deps.encryptionKey)
              : null;
          const delivery = await readDelivery(c, secret);
          if (delivery.error || !link) return delivery.error ?? fail(c, 401, "UNAUTHORIZED", "Unknown link");
          if (REPOSITORY_EVENTS.has(delivery.event) && !sameRepository(link, delivery.payload)) {
            return ignored(c, delivery.deliveryId, "the delivery is for another repository than the link's");
          }
          return enqueue(c, delivery, link);
        },
        { "github.link": linkId, "github.delivery": c.req.header("x-github-delivery") ?? "" },
      );
    })
    .post("/webhooks/github", async (c) =>
      traced(
        "webhook.receive",
        async () => {
          if (!deps.appSecret) {
            return fail(c, 404, "NOT_FOUND", "GitHub App mode is off: send deliveries to the link's own URL");
          }
          const delivery = await readDelivery(c, deps.appSecret);
          if (delivery.error) return delivery.error;
          const installationId = delivery.payload.installation?.id;
          const owner =
            typeof installationId === "number" && Number.isSafeInteger(installationId)
              ? await systemInstallationOwner(deps.handle.db, { id: installationId })
              : undefined;
          if (!owner) return ignored(c, delivery.deliveryId, "no organisation has claimed this installation");
          const repository = delivery.payload.repository;
          const fullName = text(repository?.full_name, 200);
          const link = fullName
            ? await findOrgRepoLink(deps.handle.db, {
                orgId: owner.orgId,
                fullName,
                githubRepoId: typeof repository?.id === "number" ? repository.id : null,
              })
            : undefined;
          if (!link)
            return ignored(c, delivery.deliveryId, "the installation's organisation does not link this repository");
          return enqueue(c, delivery, link);
        },
        { "github.delivery": c.req.header("x-github-delivery") ?? "" },
      ),
    );
  // Errors go to the worker's HTTP shell (http.ts): 503 while the database is down, else 500.
}
