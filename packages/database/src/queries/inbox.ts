/**
 * A user's own inbox and preferences. The tenant here is the recipient: every query takes the
 * `userId` the session proved, and reads only notifications of orgs the user is still a member
 * of (a removed member's old notifications reveal nothing more).
 */
import { and, desc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import { member, notification, notificationPreference, organization, task } from "../schema/index.ts";

const inboxColumns = {
  id: notification.id,
  seq: notification.seq,
  orgId: notification.orgId,
  orgSlug: organization.slug,
  taskId: notification.taskId,
  taskKey: sql<string>`(select key from project where id = ${task.projectId}) || '-' || ${task.number}`,
  taskTitle: task.title,
  kind: notification.kind,
  actorId: notification.actorId,
  commentId: notification.commentId,
  summary: notification.summary,
  excerpt: notification.excerpt,
  count: notification.count,
  createdAt: notification.createdAt,
  updatedAt: notification.updatedAt,
  readAt: notification.readAt,
  archivedAt: notification.archivedAt,
};
function inboxQuery(db: Executor) {
  return db
    .select(inboxColumns)
    .from(notification)
    .innerJoin(task, eq(task.id, notification.taskId))
    .innerJoin(organization, eq(organization.id, notification.orgId))
    .innerJoin(member, and(eq(member.orgId, notification.orgId), eq(member.userId, notification.userId)));
}

/** Newest first; `cursor` is the seq of the last row of the previous page. Archived rows are left out. */
export async function listInbox(
  db: Executor,
  { userId, unread, cursor, limit }: { userId: string; unread: boolean; cursor?: number; limit: number },
) {
  return inboxQuery(db)
    .where(
      and(
        eq(notification.userId, userId),
        isNull(notification.archivedAt),
        isNull(task.deletedAt),
        unread ? isNull(notification.readAt) : undefined,
        cursor === undefined ? undefined : lt(notification.seq, cursor),
      ),
    )
    .orderBy(desc(notification.seq))
    .limit(limit);
}

/** Rows changed after `afterSeq` (oldest first): what a resuming inbox socket missed. */
export async function listInboxAfter(
  db: Executor,
  {
    userId,
    afterSeq,
    limit,
    newestFirst = false,
  }: { userId: string; afterSeq: number; limit: number; newestFirst?: boolean },
) {
  return inboxQuery(db)
    .where(and(eq(notification.userId, userId), sql`${notification.seq} > ${afterSeq}`))
    .orderBy(newestFirst ? desc(notification.seq) : notification.seq)
    .limit(limit);
}

export async function countUnread(db: Executor, { userId }: { userId: string }): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notification)
    .innerJoin(member, and(eq(member.orgId, notification.orgId), eq(member.userId, notification.userId)))
    .innerJoin(task, eq(task.id, notification.taskId))
    .where(
      and(
        eq(notification.userId, userId),
        isNull(notification.readAt),
        isNull(notification.archivedAt),
        isNull(task.deletedAt),
      ),
    );
  return row?.n ?? 0;
}

/**
 * Marks the user's notifications (the given ids, or all) read or archived. Each changed row
 * takes a new seq, so other tabs learn of it on the inbox channel. Returns the changed rows.
 */
export async function changeInbox(
  db: Executor,
  { userId, ids, change }: { userId: string; ids: string[] | "all"; change: "read" | "archive" },
) {
  const now = new Date();
  return db
    .update(notification)
    .set({
      ...(change === "read"
        ? { readAt: now }
        : { archivedAt: now, readAt: sql`coalesce(${notification.readAt}, now())` }),
      seq: sql`nextval(pg_get_serial_sequence('notification', 'seq'))`,
    })
    .where(
      and(
        eq(notification.userId, userId),
        ids === "all" ? undefined : inArray(notification.id, ids),
        change === "read" ? isNull(notification.readAt) : isNull(notification.archivedAt),
      ),
    )
    .returning({ id: notification.id, seq: notification.seq });
}

/** The user's stored choices (kinds and channels without a row are on). */
export async function listPreferences(db: Executor, { userIds }: { userIds: string[] }) {
  if (!userIds.length) return [];
  return db.select().from(notificationPreference).where(inArray(notificationPreference.userId, userIds));
}

export async function putPreferences(
  db: Executor,
  {
    userId,
    preferences,
  }: { userId: string; preferences: { kind: string; channel: "inApp" | "email"; enabled: boolean }[] },
) {
  await db
    .insert(notificationPreference)
    .values(preferences.map((preference) => ({ userId, ...preference })))
    .onConflictDoUpdate({
      target: [notificationPreference.userId, notificationPreference.kind, notificationPreference.channel],
      set: { enabled: sql`excluded.enabled` },
    });
}

/**
 * Claims the user's pending e-mails (locked until the transaction ends; another instance skips
 * them) with what the mail shows, oldest first, and marks them sent.
 */
export async function claimPendingEmails(tx: Transaction, { userId }: { userId: string }) {
  const rows = await inboxQuery(tx)
    .where(and(eq(notification.userId, userId), eq(notification.emailState, "pending")))
    .orderBy(notification.seq)
    .for("update", { of: notification, skipLocked: true });
  if (rows.length) {
    await tx
      .update(notification)
      .set({ emailState: "sent" })
      .where(
        inArray(
          notification.id,
          rows.map((row) => row.id),
        ),
      );
  }
  return rows;
}
