import {
  ZCreateWebhookInput,
  ZRotateWebhookSecretInput,
  ZUpdateWebhookInput,
  ZWebhook,
  ZWebhookDeliveriesQuery,
  ZWebhookDelivery,
  ZWebhookWithSecret,
} from "@tandem/contracts";
import {
  createWebhook,
  deleteWebhook,
  listWebhookDeliveries,
  listWebhooks,
  pingWebhook,
  redeliverWebhook,
  rotateOutboundWebhookSecret,
  updateWebhook,
} from "@tandem/domain";
import { Hono } from "hono";
import { z } from "zod";
import { doc } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";

const ZWebhookParam = z.object({ webhookId: z.string().min(1).max(64) });
const ZDeliveryParam = ZWebhookParam.extend({ deliveryId: z.string().min(1).max(64) });
const tag = "Webhooks";
const access = "admin.manageSettings";

/** Outbound webhooks (SPEC §15): endpoints, their delivery log, redelivery, ping, secret rotation. */
export const webhookRoutes = new Hono<AppEnv>()
  .get(
    "/",
    doc({
      tag,
      summary: "List the org's webhook endpoints (never their secrets)",
      access,
      response: z.array(ZWebhook),
    }),
    async (c) => c.json(await listWebhooks({ ctx: c.var.ctx, input: undefined })),
  )
  .post(
    "/",
    doc({
      tag,
      summary: "Create a webhook endpoint",
      description:
        "The `whsec_…` secret is in this response only (sealed at rest). The URL must resolve to public addresses unless `WEBHOOK_ALLOW_PRIVATE_NETWORKS=true`. Delivery starts with the next event.",
      access,
      response: ZWebhookWithSecret,
      status: 201,
    }),
    validate("json", ZCreateWebhookInput),
    async (c) => c.json(await createWebhook({ ctx: c.var.ctx, input: c.req.valid("json") }), 201),
  )
  .patch(
    "/:webhookId",
    doc({
      tag,
      summary: "Change an endpoint's URL, events, project or enabled state",
      description: "Enabling an endpoint the sender disabled clears its reason; delivery resumes where it stopped.",
      access,
      response: ZWebhook,
    }),
    validate("param", ZWebhookParam),
    validate("json", ZUpdateWebhookInput),
    async (c) =>
      c.json(
        await updateWebhook({
          ctx: c.var.ctx,
          input: { webhookId: c.req.valid("param").webhookId, patch: c.req.valid("json") },
        }),
      ),
  )
  .delete(
    "/:webhookId",
    doc({ tag, summary: "Delete an endpoint and its delivery log", access, response: ZWebhook }),
    validate("param", ZWebhookParam),
    async (c) => c.json(await deleteWebhook({ ctx: c.var.ctx, input: c.req.valid("param") })),
  )
  .post(
    "/:webhookId/rotate-secret",
    doc({
      tag,
      summary: "Rotate an endpoint's secret",
      description:
        "The new secret is in this response only. The previous one keeps signing next to it (two signatures per message) for `graceSeconds` (default a day).",
      access,
      response: ZWebhookWithSecret,
    }),
    validate("param", ZWebhookParam),
    validate("json", ZRotateWebhookSecretInput),
    async (c) =>
      c.json(
        await rotateOutboundWebhookSecret({
          ctx: c.var.ctx,
          input: { ...c.req.valid("param"), ...c.req.valid("json") },
        }),
      ),
  )
  .post(
    "/:webhookId/ping",
    doc({
      tag,
      summary: "Send a signed PING to the endpoint now",
      description: "Answers with the delivery once the receiver has answered (or the timeout passed).",
      access,
      response: ZWebhookDelivery,
    }),
    validate("param", ZWebhookParam),
    async (c) => c.json(await pingWebhook({ ctx: c.var.ctx, input: c.req.valid("param") })),
  )
  .get(
    "/:webhookId/deliveries",
    doc({
      tag,
      summary: "The endpoint's delivery log, newest first",
      description: "Each delivery with its attempts: status code, latency and the first 4 KB of the answer.",
      access,
      response: z.array(ZWebhookDelivery),
    }),
    validate("param", ZWebhookParam),
    validate("query", ZWebhookDeliveriesQuery),
    async (c) =>
      c.json(
        await listWebhookDeliveries({ ctx: c.var.ctx, input: { ...c.req.valid("param"), ...c.req.valid("query") } }),
      ),
  )
  .post(
    "/:webhookId/deliveries/:deliveryId/redeliver",
    doc({
      tag,
      summary: "Send a delivery again now (same webhook-id and body)",
      access,
      response: ZWebhookDelivery,
    }),
    validate("param", ZDeliveryParam),
    async (c) => c.json(await redeliverWebhook({ ctx: c.var.ctx, input: c.req.valid("param") })),
  );
