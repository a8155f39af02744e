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

/** Changes a link's project, category or enabled switch. */
export async function updateRepoLink(
  tx: Transaction,
  {
    orgId,
    id,
    values,
  }: { orgId: string; id: string; values: Partial<Pick<RepoLinkRow, "projectId" | "categoryId" | "enabled">> },
) {
  const [row] = await tx
    .update(githubRepository)
    .set(values)
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

export async function getRepoLink(db: Executor, { orgId, id }: { orgId: string; id: string }) {
  const [row] = await db
    .select()
    .from(githubRepository)
    .where(and(eq(githubRepository.orgId, orgId), eq(githubRepository.id, id)));
  return row;
}

export async function touchRepoSync(db: Executor, { orgId, id, at }: { orgId: string; id: string; at: Date }) {
  await db
    .update(githubRepository)
    .set({ lastSyncedAt: at })
    .where(and(eq(githubRepository.orgId, orgId), eq(githubRepository.id, id)));
}

export async function lockIssueLink(
  tx: Transaction,
  { orgId, repositoryId, number }: { orgId: string; repositoryId: string; number: number },
) {
  const [row] = await tx
    .select()
    .from(githubIssue)
    .where(
      and(eq(githubIssue.orgId, orgId), eq(githubIssue.repositoryId, repositoryId), eq(githubIssue.number, number)),
    )
    .for("update");
  return row;
}

export async function insertIssueLink(tx: Transaction, values: typeof githubIssue.$inferInsert) {
  await tx.insert(githubIssue).values(values);
}

export async function updateIssueLink(
  tx: Executor,
  { orgId, id, values }: { orgId: string; id: string; values: Partial<typeof githubIssue.$inferInsert> },
) {
  await tx
    .update(githubIssue)
    .set(values)
    .where(and(eq(githubIssue.orgId, orgId), eq(githubIssue.id, id)));
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
  { orgId, repositoryId, number }: { orgId: string; repositoryId: string; number: number },
) {
  const [row] = await tx
    .select()
    .from(githubPullRequest)
    .where(
      and(
        eq(githubPullRequest.orgId, orgId),
        eq(githubPullRequest.repositoryId, repositoryId),
        eq(githubPullRequest.number, number),
      ),
    )
    .for("update");
  return row;
}

export async function insertPullRequestLink(tx: Transaction, values: typeof githubPullRequest.$inferInsert) {
  await tx.insert(githubPullRequest).values(values);
}

export async function updatePullRequestLink(
  tx: Transaction,
  { orgId, id, values }: { orgId: string; id: string; values: Partial<typeof githubPullRequest.$inferInsert> },
) {
  await tx
    .update(githubPullRequest)
    .set(values)
    .where(and(eq(githubPullRequest.orgId, orgId), eq(githubPullRequest.id, id)));
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

/** The org's issue link, by id (an outbound job names it). */
export async function getIssueLink(db: Executor, { orgId, id }: { orgId: string; id: string }) {
  const [row] = await db
    .select()
    .from(githubIssue)
    .where(and(eq(githubIssue.orgId, orgId), eq(githubIssue.id, id)));
  return row;
}

export async function setCommentGithubId(
  db: Executor,
  {
    orgId,
    commentId,
    githubCommentId,
    updatedAt,
  }: { orgId: string; commentId: string; githubCommentId: number; updatedAt: Date },
) {
  await db
    .update(taskComment)
    .set({ githubCommentId, updatedAt })
    .where(and(eq(taskComment.orgId, orgId), eq(taskComment.id, commentId)));
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

export type TombstoneRef = { orgId: string; repositoryId: string; kind: TombstoneKind; githubId: number };

/** The org's own link: tombstones are kept per link, and only for a link of the caller's org. */
const ownLink = (orgId: string, repositoryId: string) =>
  sql`exists (select 1 from ${githubRepository} where ${githubRepository.id} = ${repositoryId} and ${githubRepository.orgId} = ${orgId})`;

/** Remembers that GitHub deleted this issue, comment or label (idempotent). */
export async function addTombstone(tx: Executor, { orgId, repositoryId, kind, githubId }: TombstoneRef): Promise<void> {
  await tx.execute(sql`
    insert into ${githubTombstone} (repository_id, kind, github_id)
    select ${repositoryId}, ${kind}, ${githubId} where ${ownLink(orgId, repositoryId)}
    on conflict do nothing`);
}

export async function hasTombstone(
  db: Executor,
  { orgId, repositoryId, kind, githubId }: TombstoneRef,
): Promise<boolean> {
  const rows = await db
    .select({ githubId: githubTombstone.githubId })
    .from(githubTombstone)
    .where(
      and(
        eq(githubTombstone.repositoryId, repositoryId),
        eq(githubTombstone.kind, kind),
        eq(githubTombstone.githubId, githubId),
        ownLink(orgId, repositoryId),
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

/**
 * Moves a delivery verified for one of the org's links from one status to another, only if it
 * is still in the first (answers the row).
 */
export async function setDeliveryStatus(
  db: Executor,
  { orgId, id, from, to }: { orgId: string; id: string; from: "dead" | "queued"; to: "dead" | "queued" },
) {
  const orgLinks = db
    .select({ id: githubRepository.id })
    .from(githubRepository)
    .where(eq(githubRepository.orgId, orgId));
  const [row] = await db
    .update(webhookDelivery)
    .set({ status: to, processedAt: null })
    .where(and(eq(webhookDelivery.id, id), eq(webhookDelivery.status, from), inArray(webhookDelivery.linkId, orgLinks)))
    .returning();
  return row;
}
