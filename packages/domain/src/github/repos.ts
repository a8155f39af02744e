import type { TLinkRepoInput, TRepoLink } from "@tandem/contracts";
import {
  deleteRepoLink,
  existingTagIds,
  getRepoLink,
  insertRepoLink,
  listDeliveriesForOrg,
  listRepoLinks,
  type RepoLinkRow,
} from "@tandem/database";
import { newId } from "@tandem/util";
import { encryptSecret } from "@tandem/util/server";
import { recordEvent } from "../admin-events.ts";
import { defineMutation, defineQuery } from "../context.ts";
import { conflict, invalid, isUniqueViolation, notFound } from "../errors.ts";

export function toRepoLinkDto(row: RepoLinkRow): TRepoLink {
  return {
    id: row.id,
    orgId: row.orgId,
    fullName: row.fullName,
    categoryId: row.categoryId,
    enabled: row.enabled,
    hasToken: row.tokenEncrypted !== null,
    lastSyncedAt: row.lastSyncedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export const listRepos = defineQuery<void, TRepoLink[]>("github.repos.list", "admin.manageSettings", async ({ ctx }) =>
  (await listRepoLinks(ctx.db, { orgId: ctx.org.id })).map(toRepoLinkDto),
);

/** Links a repository; its token is sealed with AES-256-GCM before it touches the database. */
export const linkRepo = defineMutation<TLinkRepoInput & { encryptionKey: string | undefined }, TRepoLink>(
  "github.repos.link",
  "admin.manageSettings",
  async ({ ctx, input }) => {
    if (
      input.categoryId &&
      (await existingTagIds(ctx.tx, { kind: "category", orgId: ctx.org.id, ids: [input.categoryId] })).length === 0
    ) {
      throw invalid("categoryId", "Unknown category");
    }
    if (input.token && !input.encryptionKey)
      throw invalid("token", "Storing tokens needs ENCRYPTION_KEY on the server");
    let row: RepoLinkRow;
    try {
      row = await insertRepoLink(ctx.tx, {
        id: newId("ghr"),
        orgId: ctx.org.id,
        fullName: input.fullName,
        categoryId: input.categoryId ?? null,
        tokenEncrypted: input.token && input.encryptionKey ? encryptSecret(input.token, input.encryptionKey) : null,
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict("That repository is already linked");
      throw error;
    }
    const link = toRepoLinkDto(row);
    await recordEvent(ctx, "CREATE_GITHUB_REPO", "admin", { repo: link });
    return link;
  },
);

export const unlinkRepo = defineMutation<{ repoId: string }, TRepoLink>(
  "github.repos.unlink",
  "admin.manageSettings",
  async ({ ctx, input }) => {
    const row = await deleteRepoLink(ctx.tx, { orgId: ctx.org.id, id: input.repoId });
    if (!row) throw notFound("Repository link");
    const link = toRepoLinkDto(row);
    await recordEvent(ctx, "DELETE_GITHUB_REPO", "admin", { repo: link });
    return link;
  },
);

export type TDelivery = {
  id: string;
  event: string;
  action: string | null;
  repository: string | null;
  status: string;
  error: string | null;
  receivedAt: string;
  processedAt: string | null;
};

/** Webhook deliveries for the org's repos; `status=dead` lists what ran out of retries. */
export const listDeliveries = defineQuery<{ status?: string; limit: number }, TDelivery[]>(
  "github.deliveries.list",
  "admin.manageSettings",
  async ({ ctx, input }) =>
    (await listDeliveriesForOrg(ctx.db, { orgId: ctx.org.id, ...input })).map((row) => ({
      id: row.id,
      event: row.event,
      action: row.action,
      repository: row.repository,
      status: row.status,
      error: row.error,
      receivedAt: row.receivedAt.toISOString(),
      processedAt: row.processedAt?.toISOString() ?? null,
    })),
);

/** The admin "resync now" action: checks the repo is the org's, then queues its reconciliation. */
export const requestResync = defineQuery<
  { repoId: string; enqueue: (data: { repoId: string }) => Promise<unknown> },
  void
>("github.repos.resync", "admin.manageSettings", async ({ ctx, input }) => {
  if (!(await getRepoLink(ctx.db, { orgId: ctx.org.id, id: input.repoId }))) throw notFound("Repository link");
  await input.enqueue({ repoId: input.repoId });
});
