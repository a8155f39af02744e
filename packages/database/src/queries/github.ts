import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import {
  account,
  githubInstallation,
  githubIssue,
  githubPullRequest,
  githubRepository,
  githubTombstone,
  label,
  member,
  taskComment,
  webhookDelivery,
} from "../schema/index.ts";

export type RepoLinkRow = typeof githubRepository.$inferSelect;
export type DeliveryRow = typeof webhookDelivery.$inferSelect;

export async function listRepoLinks(db: Executor, { orgId }: { orgId: string }) {
  return db.select().from(githubRepository).where(eq(githubRepository.orgId, orgId)).orderBy(githubRepository.fullName);
}

export async function insertRepoLink(
  tx: Transaction,
  values: typeof githubRepository.$inferInsert,
): Promise<RepoLinkRow> {
  const [row] = await tx.insert(githubRepository).values(values).returning();
  if (!row) throw new Error("insert repo link returned nothing");
  return row;
}

export async function deleteRepoLink(tx: Transaction, { orgId, id }: { orgId: string; id: string }) {
  const [row] = await tx
    .delete(githubRepository)
    .where(and(eq(githubRepository.orgId, orgId), eq(githubRepository.id, id)))
    .returning();
  return row;
}

/** The org's enabled link to a repository (App mode: the org is the one that claimed the installation). */
export async function findOrgRepoLink(
  db: Executor,
  { orgId, fullName, githubRepoId }: { orgId: string; fullName: string; githubRepoId: number | null },
) {
  const [row] = await db
    .select()
    .from(githubRepository)
    .where(
      and(
        eq(githubRepository.orgId, orgId),
        eq(githubRepository.enabled, true),
        githubRepoId === null
          ? sql`lower(${githubRepository.fullName}) = lower(${fullName})`
          : sql`(${githubRepository.githubRepoId} = ${githubRepoId} or (${githubRepository.githubRepoId} is null and lower(${githubRepository.fullName}) = lower(${fullName})))`,
      ),
    );
  return row;
}

export async function setRepoWebhookSecret(
  tx: Transaction,
  { orgId, id, sealed }: { orgId: string; id: string; sealed: string },
) {
  const [row] = await tx
    .update(githubRepository)
    .set({ webhookSecretEncrypted: sealed })
    .where(and(eq(githubRepository.orgId, orgId), eq(githubRepository.id, id)))
    .returning();
  return row;
}

export type InstallationRow = typeof githubInstallation.$inferSelect;

/** Claims an installation for the org; an installation another org holds is left alone (undefined). */
export async function claimInstallation(tx: Transaction, values: { id: number; orgId: string; account: string }) {
  const [row] = await tx
    .insert(githubInstallation)
    .values(values)
    .onConflictDoUpdate({
      target: githubInstallation.id,
      set: { account: values.account },
      setWhere: eq(githubInstallation.orgId, values.orgId),
    })
    .returning();
  return row;
}

export async function listInstallations(db: Executor, { orgId }: { orgId: string }) {
  return db
    .select()
    .from(githubInstallation)
    .where(eq(githubInstallation.orgId, orgId))
    .orderBy(githubInstallation.createdAt);
}

export async function deleteInstallation(tx: Transaction, { orgId, id }: { orgId: string; id: number }) {
  const [row] = await tx
    .delete(githubInstallation)
    .where(and(eq(githubInstallation.orgId, orgId), eq(githubInstallation.id, id)))
    .returning();
  return row;
}

/** Which org claimed an installation (the worker routes App-mode deliveries by it). */
export async function installationOwner(db: Executor, { id }: { id: number }) {
  const [row] = await db.select().from(githubInstallation).where(eq(githubInstallation.id, id));
  return row;
}

export async function getRepoLink(db: Executor, { orgId, id }: { orgId: string; id: string }) {
  const [row] = await db
    .select()
    .from(githubRepository)
    .where(and(eq(githubRepository.orgId, orgId), eq(githubRepository.id, id)));
  return row;
}

export async function touchRepoSync(db: Executor, { id, at }: { id: string; at: Date }) {
  await db.update(githubRepository).set({ lastSyncedAt: at }).where(eq(githubRepository.id, id));
}

export async function lockIssueLink(
  tx: Transaction,
  { repositoryId, number }: { repositoryId: string; number: number },
) {
  const [row] = await tx
    .select()
    .from(githubIssue)
    .where(and(eq(githubIssue.repositoryId, repositoryId), eq(githubIssue.number, number)))
    .for("update");
  return row;
}

export async function insertIssueLink(tx: Transaction, values: typeof githubIssue.$inferInsert) {
  await tx.insert(githubIssue).values(values);
}

export async function updateIssueLink(
  tx: Executor,
  { id, values }: { id: string; values: Partial<typeof githubIssue.$inferInsert> },
) {
  await tx.update(githubIssue).set(values).where(eq(githubIssue.id, id));
}

export async function findIssueLinkByTask(db: Executor, { orgId, taskId }: { orgId: string; taskId: string }) {
  const [row] = await db
    .select()
    .from(githubIssue)
    .where(and(eq(githubIssue.orgId, orgId), eq(githubIssue.taskId, taskId)));
  return row;
}

export async function lockPullRequestLink(
  tx: Transaction,
  { repositoryId, number }: { repositoryId: string; number: number },
) {
  const [row] = await tx
    .select()
    .from(githubPullRequest)
    .where(and(eq(githubPullRequest.repositoryId, repositoryId), eq(githubPullRequest.number, number)))
    .for("update");
  return row;
}

export async function insertPullRequestLink(tx: Transaction, values: typeof githubPullRequest.$inferInsert) {
  await tx.insert(githubPullRequest).values(values);
}

export async function updatePullRequestLink(
  tx: Transaction,
  { id, values }: { id: string; values: Partial<typeof githubPullRequest.$inferInsert> },
) {
  await tx.update(githubPullRequest).set(values).where(eq(githubPullRequest.id, id));
}

export async function findLabelsByName(db: Executor, { orgId, names }: { orgId: string; names: string[] }) {
  if (names.length === 0) return [];
  return db
    .select()
    .from(label)
    .where(
      and(
        eq(label.orgId, orgId),
        inArray(
          sql`lower(${label.name})`,
          names.map((n) => n.toLowerCase()),
        ),
      ),
    );
}

/** Org members whose linked GitHub account has one of these GitHub user ids. */
export async function membersByGithubIds(db: Executor, { orgId, githubIds }: { orgId: string; githubIds: string[] }) {
  if (githubIds.length === 0) return [];
  return db
    .select({ userId: member.userId, githubId: account.accountId })
    .from(account)
    .innerJoin(member, and(eq(member.userId, account.userId), eq(member.orgId, orgId)))
    .where(and(eq(account.providerId, "github"), inArray(account.accountId, githubIds)));
}

export async function lockCommentByGithubId(
  tx: Transaction,
  { orgId, githubCommentId }: { orgId: string; githubCommentId: number },
) {
  const [row] = await tx
    .select()
    .from(taskComment)
    .where(and(eq(taskComment.orgId, orgId), eq(taskComment.githubCommentId, githubCommentId)))
    .for("update");
  return row;
}

/** Orgs whose linked repositories can be written to (a token is stored). */
export async function orgsWithTokens(db: Executor): Promise<string[]> {
  const rows = await db
    .selectDistinct({ orgId: githubRepository.orgId })
    .from(githubRepository)
    .where(and(eq(githubRepository.enabled, true), sql`${githubRepository.tokenEncrypted} is not null`));
  return rows.map((row) => row.orgId);
}

export async function getIssueLink(db: Executor, { id }: { id: string }) {
  const [row] = await db.select().from(githubIssue).where(eq(githubIssue.id, id));
  return row;
}

export async function getRepoLinkById(db: Executor, { id }: { id: string }) {
  const [row] = await db.select().from(githubRepository).where(eq(githubRepository.id, id));
  return row;
}

export async function setCommentGithubId(
  db: Executor,
  { commentId, githubCommentId, updatedAt }: { commentId: string; githubCommentId: number; updatedAt: Date },
) {
  await db.update(taskComment).set({ githubCommentId, updatedAt }).where(eq(taskComment.id, commentId));
}

/** Links reconciliation may read: enabled, with a token checked against the repository. */
export async function reconcilableRepoLinks(db: Executor) {
  return db
    .select()
    .from(githubRepository)
    .where(and(eq(githubRepository.enabled, true), sql`${githubRepository.tokenEncrypted} is not null`));
}

/** Recent deliveries verified for the org's own links (newest first), optionally by status. */
export async function listDeliveriesForOrg(
  db: Executor,
  { orgId, status, limit }: { orgId: string; status?: string; limit: number },
) {
  return db
    .select({ delivery: webhookDelivery })
    .from(webhookDelivery)
    .innerJoin(githubRepository, eq(githubRepository.id, webhookDelivery.linkId))
    .where(and(eq(githubRepository.orgId, orgId), status ? eq(webhookDelivery.status, status as "dead") : undefined))
    .orderBy(desc(webhookDelivery.receivedAt))
    .limit(limit)
    .then((rows) => rows.map((row) => row.delivery));
}

export type TombstoneKind = (typeof githubTombstone.$inferSelect)["kind"];

/** Remembers that GitHub deleted this issue, comment or label (idempotent). */
export async function addTombstone(
  tx: Executor,
  values: { repositoryId: string; kind: TombstoneKind; githubId: number },
): Promise<void> {
  await tx.insert(githubTombstone).values(values).onConflictDoNothing();
}

export async function hasTombstone(
  db: Executor,
  { repositoryId, kind, githubId }: { repositoryId: string; kind: TombstoneKind; githubId: number },
): Promise<boolean> {
  const rows = await db
    .select({ githubId: githubTombstone.githubId })
    .from(githubTombstone)
    .where(
      and(
        eq(githubTombstone.repositoryId, repositoryId),
        eq(githubTombstone.kind, kind),
        eq(githubTombstone.githubId, githubId),
      ),
    );
  return rows.length > 0;
}

/** The org's label of that name (case-insensitive), locked for a rename, recolour or delete. */
export async function lockLabelByName(tx: Transaction, { orgId, name }: { orgId: string; name: string }) {
  const [row] = await tx
    .select()
    .from(label)
    .where(and(eq(label.orgId, orgId), sql`lower(${label.name}) = lower(${name})`))
    .for("update");
  return row;
}

/** One delivery verified for one of the org's own links. */
export async function getDeliveryForOrg(db: Executor, { orgId, id }: { orgId: string; id: string }) {
  const [row] = await db
    .select({ delivery: webhookDelivery })
    .from(webhookDelivery)
    .innerJoin(githubRepository, eq(githubRepository.id, webhookDelivery.linkId))
    .where(and(eq(githubRepository.orgId, orgId), eq(webhookDelivery.id, id)));
  return row?.delivery;
}

/** Moves a delivery from one status to another, only if it is still in the first (answers the row). */
export async function setDeliveryStatus(
  db: Executor,
  { id, from, to }: { id: string; from: "dead" | "queued"; to: "dead" | "queued" },
) {
  const [row] = await db
    .update(webhookDelivery)
    .set({ status: to, processedAt: null })
    .where(and(eq(webhookDelivery.id, id), eq(webhookDelivery.status, from)))
    .returning();
  return row;
}
