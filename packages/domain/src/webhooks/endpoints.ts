import { randomBytes } from "node:crypto";
import {
  type TCreateWebhookInput,
  type TRotateWebhookSecretInput,
  type TUpdateWebhookInput,
  type TWebhook,
  type TWebhookWithSecret,
  WEBHOOK_SECRET_PREFIX,
} from "@tandem/contracts";
import {
  deleteWebhookRow,
  getWebhook,
  insertWebhook,
  lastEventSeq,
  listWebhooks as listWebhookRows,
  updateWebhookRow,
  type WebhookRow,
} from "@tandem/database";
import { newId } from "@tandem/util";
import { encryptSecret } from "@tandem/util/server";
import { actorId, assertPermission, type Ctx, defineMutation, defineQuery } from "../context.ts";
import { invalid, notFound } from "../errors.ts";
import { resolveProject } from "../projects/workflow.ts";
import { recordEvent } from "../record-event.ts";
import type { Services } from "../services.ts";
import { UnsafeAddress, vetAddress } from "./network.ts";

const PERMISSION = "admin.manageSettings";

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toWebhookDto(row: WebhookRow): TWebhook {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    projectId: row.projectId,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    lastSeq: row.lastSeq,
    previousSecretExpiresAt: iso(row.previousSecretExpiresAt),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function sealingKey(services: Services): string {
  if (!services.encryptionKey) throw invalid("url", "Webhooks need ENCRYPTION_KEY on the server");
  return services.encryptionKey;
}

const newSecret = () => `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString("base64")}`;

/** The SSRF rule at save time: the URL's host must resolve to public addresses only (unless allowed). */
async function assertSafeUrl(services: Services, url: string): Promise<void> {
  try {
    await vetAddress(new URL(url), services.webhooks);
  } catch (error) {
    if (error instanceof UnsafeAddress) throw invalid("url", `Refused: ${error.message}`);
    throw error;
  }
}

export const listWebhooks = defineQuery<void, TWebhook[]>("webhook.list", PERMISSION, async ({ ctx }) =>
  (await listWebhookRows(ctx.db, { orgId: ctx.org.id })).map(toWebhookDto),
);

const insertEndpoint = defineMutation<TCreateWebhookInput, TWebhookWithSecret>(
  "webhook.create",
  PERMISSION,
  async ({ ctx, input }) => {
    const secret = newSecret();
    const row = await insertWebhook(ctx.tx, {
      id: newId("whk"),
      orgId: ctx.org.id,
      url: input.url,
      events: input.events,
      // Stored as the project's id (the input may name it by key); another org's is NOT_FOUND.
      projectId: input.projectId ? (await resolveProject(ctx, input.projectId)).id : null,
      enabled: input.enabled,
      secretEncrypted: encryptSecret(secret, sealingKey(ctx.services)),
      // From now on: an endpoint does not receive the org's history.
      lastSeq: await lastEventSeq(ctx.tx, { orgId: ctx.org.id }),
      createdBy: actorId(ctx),
    });
    const webhook = toWebhookDto(row);
    await recordEvent(ctx, { type: "CREATE_WEBHOOK", payload: { webhook } });
    return { webhook, secret };
  },
);

/** Creates an endpoint; its secret is in this answer only. The URL is vetted before anything is written. */
export async function createWebhook(args: { ctx: Ctx; input: TCreateWebhookInput }): Promise<TWebhookWithSecret> {
  assertPermission(args.ctx, PERMISSION);
  sealingKey(args.ctx.services);
  await assertSafeUrl(args.ctx.services, args.input.url);
  return insertEndpoint(args);
}

type UpdateArgs = { webhookId: string; patch: TUpdateWebhookInput };

const patchEndpoint = defineMutation<UpdateArgs, TWebhook>("webhook.update", PERMISSION, async ({ ctx, input }) => {
  const { patch } = input;
  const projectId = patch.projectId ? (await resolveProject(ctx, patch.projectId)).id : patch.projectId;
  const row = await updateWebhookRow(ctx.tx, {
    orgId: ctx.org.id,
    webhookId: input.webhookId,
    values: {
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.events !== undefined ? { events: patch.events } : {}),
      ...(projectId !== undefined ? { projectId } : {}),
      // Turning an endpoint (back) on forgets why it was off and tries at once.
      ...(patch.enabled !== undefined ? { enabled: patch.enabled, disabledReason: null, retryAt: null } : {}),
    },
  });
  if (!row) throw notFound("Webhook");
  const webhook = toWebhookDto(row);
  await recordEvent(ctx, { type: "UPDATE_WEBHOOK", payload: { webhook } });
  return webhook;
});

export async function updateWebhook(args: { ctx: Ctx; input: UpdateArgs }): Promise<TWebhook> {
  assertPermission(args.ctx, PERMISSION);
  if (args.input.patch.url !== undefined) await assertSafeUrl(args.ctx.services, args.input.patch.url);
  return patchEndpoint(args);
}

export const deleteWebhook = defineMutation<{ webhookId: string }, TWebhook>(
  "webhook.delete",
  PERMISSION,
  async ({ ctx, input }) => {
    const row = await deleteWebhookRow(ctx.tx, { orgId: ctx.org.id, webhookId: input.webhookId });
    if (!row) throw notFound("Webhook");
    const webhook = toWebhookDto(row);
    await recordEvent(ctx, { type: "DELETE_WEBHOOK", payload: { webhook } });
    return webhook;
  },
);

/**
 * A new secret, shown once. The old one keeps signing next to it for `graceSeconds` (each
 * attempt carries both signatures), so receivers can switch without dropping a message.
 */
export const rotateWebhookSecret = defineMutation<
  { webhookId: string } & TRotateWebhookSecretInput,
  TWebhookWithSecret
>("webhook.rotateSecret", PERMISSION, async ({ ctx, input }) => {
  const key = sealingKey(ctx.services);
  const current = await getWebhook(ctx.tx, { orgId: ctx.org.id, webhookId: input.webhookId });
  if (!current) throw notFound("Webhook");
  const secret = newSecret();
  const row = await updateWebhookRow(ctx.tx, {
    orgId: ctx.org.id,
    webhookId: input.webhookId,
    values: {
      secretEncrypted: encryptSecret(secret, key),
      previousSecretEncrypted: input.graceSeconds > 0 ? current.secretEncrypted : null,
      previousSecretExpiresAt: input.graceSeconds > 0 ? new Date(Date.now() + input.graceSeconds * 1000) : null,
    },
  });
  if (!row) throw notFound("Webhook");
  const webhook = toWebhookDto(row);
  await recordEvent(ctx, { type: "UPDATE_WEBHOOK", payload: { webhook } });
  return { webhook, secret };
});
