import type {
  TDelivery,
  TLinkRepoInput,
  TRepoLink,
  TRepoLinkWithSecret,
  TUpdateRepoLinkInput,
} from "@tandem/contracts";
import {
  type DeliveryRow,
  defaultProject,
  deleteRepoLink,
  existingTagIds,
  getDeliveryForOrg,
  getProject,
  getRepoLink,
  insertRepoLink,
  listDeliveriesForOrg,
  listRepoLinks,
  type RepoLinkRow,
  setDeliveryStatus,
  setRepoWebhookSecret,
  updateRepoLink,
} from "@tandem/database";
import { newId } from "@tandem/util";
import { encryptSecret } from "@tandem/util/server";
import { type Ctx, defineMutation, defineQuery, type TxCtx } from "../context.ts";
import { conflict, invalid, isUniqueViolation, notFound } from "../errors.ts";
import { parseProjectRef } from "../projects/workflow.ts";
import { recordEvent } from "../record-event.ts";
import type { RepoAccess, Services } from "../services.ts";

export function toRepoLinkDto(row: RepoLinkRow, webhookBaseUrl: string): TRepoLink {
  return {
    id: row.id,
    orgId: row.orgId,
    fullName: row.fullName,
    categoryId: row.categoryId,
    projectId: row.projectId,
    enabled: row.enabled,
    hasToken: row.tokenEncrypted !== null,
    hasWebhookSecret: row.webhookSecretEncrypted !== null,
    deliveryUrl: `${webhookBaseUrl.replace(/\/$/, "")}/webhooks/github/${row.id}`,
    lastSyncedAt: row.lastSyncedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** 32 random bytes as hex: what goes into GitHub's webhook "Secret" field. */
function newWebhookSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("hex");
}

function requireKey(services: Services): string {
  if (!services.encryptionKey) throw invalid("fullName", "Linking repositories needs ENCRYPTION_KEY on the server");
  return services.encryptionKey;
}

/**
 * A token must open the repository with write access: it is what reconciliation reads and
 * outbound calls write with, so a token for someone else's repository is refused here.
 */
async function checkToken(services: Services, fullName: string, token: string) {
  const access = await services.github.api.repoAccess(fullName, token);
  if (!access.ok) {
    throw invalid(
      "token",
      access.reason === "unreachable"
        ? "GitHub could not be reached to check the token; try again"
        : `The token cannot open ${fullName} on GitHub`,
    );
  }
  if (!access.push && !access.admin) throw invalid("token", `The token has no push or admin permission on ${fullName}`);
  return access;
}

export const listRepos = defineQuery<void, TRepoLink[]>("github.repos.list", "admin.manageSettings", async ({ ctx }) =>
  (await listRepoLinks(ctx.db, { orgId: ctx.org.id })).map((row) =>
    toRepoLinkDto(row, ctx.services.github.webhookBaseUrl),
  ),
);

/** The GitHub side of linking, outside the transaction (no connection waits on GitHub). */
const checkLink = defineQuery<TLinkRepoInput, Extract<RepoAccess, { ok: true }> | null>(
  "github.repos.check",
  "admin.manageSettings",
  async ({ ctx, input }) => {
    requireKey(ctx.services);
    return input.token ? checkToken(ctx.services, input.fullName, input.token) : null;
  },
);

/** The project a link names (id or key), or the org's first project when it names none. */
async function linkProjectId(ctx: TxCtx, ref: string | undefined): Promise<string | null> {
  const project = ref
    ? await getProject(ctx.tx, { orgId: ctx.org.id, ref: parseProjectRef(ref) })
    : await defaultProject(ctx.tx, { orgId: ctx.org.id });
  if (ref && !project) throw invalid("projectId", "Unknown project");
  return project?.id ?? null;
}

async function checkCategory(ctx: TxCtx, categoryId: string | null | undefined): Promise<void> {
  if (
    categoryId &&
    (await existingTagIds(ctx.tx, { kind: "category", orgId: ctx.org.id, ids: [categoryId] })).length === 0
  ) {
    throw invalid("categoryId", "Unknown category");
  }
}

const insertLink = defineMutation<
  TLinkRepoInput & { access: Extract<RepoAccess, { ok: true }> | null },
  TRepoLinkWithSecret
>("github.repos.link", "admin.manageSettings", async ({ ctx, input }) => {
  const key = requireKey(ctx.services);
  await checkCategory(ctx, input.categoryId);
  const projectId = await linkProjectId(ctx, input.projectId);
  const webhookSecret = newWebhookSecret();
  let row: RepoLinkRow;
  try {
    row = await insertRepoLink(ctx.tx, {
      id: newId("ghr"),
      orgId: ctx.org.id,
      fullName: input.access?.fullName ?? input.fullName,
      githubRepoId: input.access?.id ?? null,
      categoryId: input.categoryId ?? null,
      projectId,
      tokenEncrypted: input.token ? encryptSecret(input.token, key) : null,
      webhookSecretEncrypted: encryptSecret(webhookSecret, key),
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict("That repository is already linked");
    throw error;
  }
  const link = toRepoLinkDto(row, ctx.services.github.webhookBaseUrl);
  await recordEvent(ctx, { type: "CREATE_GITHUB_REPO", payload: { repo: link } });
  return { ...link, webhookSecret };
});

/**
 * Links a repository with a fresh webhook secret (answered once, sealed at rest). A token,
 * when given, is checked against the repository on GitHub first and sealed the same way.
 */
export async function linkRepo(args: { ctx: Ctx; input: TLinkRepoInput }): Promise<TRepoLinkWithSecret> {
  const access = await checkLink(args);
  return insertLink({ ctx: args.ctx, input: { ...args.input, access } });
}

/** Points a link at another project (new issues land there), category, or switches it off or on. */
export const updateRepo = defineMutation<{ repoId: string; patch: TUpdateRepoLinkInput }, TRepoLink>(
  "github.repos.update",
  "admin.manageSettings",
  async ({ ctx, input }) => {
    const { projectId, categoryId, enabled } = input.patch;
    await checkCategory(ctx, categoryId);
    const row = await updateRepoLink(ctx.tx, {
      orgId: ctx.org.id,
      id: input.repoId,
      values: {
        ...(projectId !== undefined ? { projectId: await linkProjectId(ctx, projectId) } : {}),
        ...(categoryId !== undefined ? { categoryId } : {}),
        ...(enabled !== undefined ? { enabled } : {}),
      },
    });
    if (!row) throw notFound("Repository link");
    const link = toRepoLinkDto(row, ctx.services.github.webhookBaseUrl);
    await recordEvent(ctx, { type: "UPDATE_GITHUB_REPO", payload: { repo: link } });
    return link;
  },
);

/** A new webhook secret for the link: the old one stops verifying at once. */
export const rotateWebhookSecret = defineMutation<{ repoId: string }, TRepoLinkWithSecret>(
  "github.repos.rotate-secret",
  "admin.manageSettings",
  async ({ ctx, input }) => {
    const key = requireKey(ctx.services);
    const webhookSecret = newWebhookSecret();
    const row = await setRepoWebhookSecret(ctx.tx, {
      orgId: ctx.org.id,
      id: input.repoId,
      sealed: encryptSecret(webhookSecret, key),
    });
    if (!row) throw notFound("Repository link");
    return { ...toRepoLinkDto(row, ctx.services.github.webhookBaseUrl), webhookSecret };
  },
);

export const unlinkRepo = defineMutation<{ repoId: string }, TRepoLink>(
  "github.repos.unlink",
  "admin.manageSettings",
  async ({ ctx, input }) => {
    const row = await deleteRepoLink(ctx.tx, { orgId: ctx.org.id, id: input.repoId });
    if (!row) throw notFound("Repository link");
    const link = toRepoLinkDto(row, ctx.services.github.webhookBaseUrl);
    await recordEvent(ctx, { type: "DELETE_GITHUB_REPO", payload: { repo: link } });
    return link;
  },
);

export type { TDelivery };

const toDeliveryDto = (row: DeliveryRow): TDelivery => ({
  id: row.id,
  event: row.event,
  action: row.action,
  repository: row.repository,
  status: row.status,
  error: row.error,
  errorStep: row.errorStep,
  receivedAt: row.receivedAt.toISOString(),
  processedAt: row.processedAt?.toISOString() ?? null,
});

/** Deliveries verified for the org's own links; `status=dead` lists what ran out of retries. */
export const listDeliveries = defineQuery<{ status?: string; limit: number }, TDelivery[]>(
  "github.deliveries.list",
  "admin.manageSettings",
  async ({ ctx, input }) => (await listDeliveriesForOrg(ctx.db, { orgId: ctx.org.id, ...input })).map(toDeliveryDto),
);

/**
 * The admin's "retry" of a dead delivery: its job gets one more attempt (the delivery is
 * queued again and keeps its last error until it succeeds). Only the org's own deliveries.
 */
export const retryDelivery = defineQuery<{ deliveryId: string }, TDelivery>(
  "github.deliveries.retry",
  "admin.manageSettings",
  async ({ ctx, input }) => {
    const found = await getDeliveryForOrg(ctx.db, { orgId: ctx.org.id, id: input.deliveryId });
    if (!found) throw notFound("Delivery");
    const queued = await setDeliveryStatus(ctx.db, { orgId: ctx.org.id, id: found.id, from: "dead", to: "queued" });
    if (!queued) throw conflict(`Only a dead delivery can be retried; this one is ${found.status}`);
    if ((await ctx.services.enqueue.retryDelivery(found.id)) === 0) {
      await setDeliveryStatus(ctx.db, { orgId: ctx.org.id, id: found.id, from: "queued", to: "dead" });
      throw conflict("The delivery's job is no longer kept: ask GitHub to redeliver it");
    }
    return toDeliveryDto(queued);
  },
);

/** The admin "resync now" action: checks the repo is the org's, then queues its reconciliation. */
export const requestResync = defineQuery<{ repoId: string }, void>(
  "github.repos.resync",
  "admin.manageSettings",
  async ({ ctx, input }) => {
    if (!(await getRepoLink(ctx.db, { orgId: ctx.org.id, id: input.repoId }))) throw notFound("Repository link");
    await ctx.services.enqueue.resync({ repoId: input.repoId });
  },
);
