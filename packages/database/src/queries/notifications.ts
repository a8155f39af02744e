/**
 * The notifier's queries (SPEC §14): each runs inside one org's transaction, so the cursor,
 * the watchers and the notifications it writes commit together.
 */
import { and, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import { eventCursor, member, notification, notifyTaskState, taskWatch, user } from "../schema/index.ts";

export const NOTIFIER = "notifier";

/**
 * The notifier's position in an org's log, locked until the transaction ends; null while
 * another notifier (another backend instance) holds it. A new org starts at its beginning.
 */
export async function lockNotifierCursor(tx: Transaction, { orgId }: { orgId: string }): Promise<number | null> {
  await tx.insert(eventCursor).values({ consumer: NOTIFIER, orgId, lastSeq: 0 }).onConflictDoNothing();
  const rows = await tx
    .select({ lastSeq: eventCursor.lastSeq })
    .from(eventCursor)
    .where(and(eq(eventCursor.consumer, NOTIFIER), eq(eventCursor.orgId, orgId)))
    .for("update", { skipLocked: true });
  return rows[0]?.lastSeq ?? null;
}

/** The org's members now, with their names: only they may be notified. */
export async function listMemberNames(db: Executor, { orgId }: { orgId: string }): Promise<Map<string, string>> {
  const rows = await db
    .select({ id: user.id, name: user.name })
    .from(member)
    .innerJoin(user, eq(user.id, member.userId))
    .where(eq(member.orgId, orgId));
  return new Map(rows.map((row) => [row.id, row.name]));
}

export async function getNotifyTaskState(db: Executor, { orgId, taskId }: { orgId: string; taskId: string }) {
  const [row] = await db
    .select()
    .from(notifyTaskState)
    .where(and(eq(notifyTaskState.orgId, orgId), eq(notifyTaskState.taskId, taskId)));
  return row;
}

export async function putNotifyTaskState(db: Executor, state: typeof notifyTaskState.$inferInsert) {
  const { taskId: _taskId, ...values } = state;
  await db.insert(notifyTaskState).values(state).onConflictDoUpdate({ target: notifyTaskState.taskId, set: values });
}

/** Adds watchers; someone who unwatched stays unwatched. */
export async function addWatchers(
  db: Executor,
  { orgId, taskId, userIds }: { orgId: string; taskId: string; userIds: string[] },
) {
  if (!userIds.length) return;
  await db
    .insert(taskWatch)
    .values(userIds.map((userId) => ({ orgId, taskId, userId, watching: true })))
    .onConflictDoNothing();
}

/** A user's own choice to watch or unwatch. */
export async function setWatch(
  db: Executor,
  { orgId, taskId, userId, watching }: { orgId: string; taskId: string; userId: string; watching: boolean },
) {
  await db
    .insert(taskWatch)
    .values({ orgId, taskId, userId, watching })
    .onConflictDoUpdate({ target: [taskWatch.taskId, taskWatch.userId], set: { watching } });
}

/** Each watcher row of a task: `watching` false for those who unwatched. */
export async function listWatchers(db: Executor, { orgId, taskId }: { orgId: string; taskId: string }) {
  return db
    .select({ userId: taskWatch.userId, watching: taskWatch.watching })
    .from(taskWatch)
    .where(and(eq(taskWatch.orgId, orgId), eq(taskWatch.taskId, taskId)));
}

export type NotificationDraft = {
  orgId: string;
  id: string;
  userId: string;
  taskId: string;
  kind: string;
  actorId: string | null;
  commentId: string | null;
  summary: string;
  excerpt: string;
  eventSeq: number;
  eventAt: Date;
  /** The recipient wants it in the inbox (else it is written archived, for the e-mail alone). */
  inApp: boolean;
  email: boolean;
};

/**
 * Writes a notification, or folds it into the recipient's open one for the same task and actor
 * whose last event is within `collapseMs` of this one: the stronger kind, the latest summary,
 * one more in `count`. An e-mail already sent is not sent again for the folded change.
 */
export async function upsertNotification(
  tx: Transaction,
  draft: NotificationDraft,
  { collapseMs, weight }: { collapseMs: number; weight: (kind: string) => number },
): Promise<{ userId: string; seq: number }> {
  const since = new Date(draft.eventAt.getTime() - collapseMs);
  const [open] = await tx
    .select()
    .from(notification)
    .where(
      and(
        eq(notification.orgId, draft.orgId),
        eq(notification.userId, draft.userId),
        eq(notification.taskId, draft.taskId),
        draft.actorId === null ? isNull(notification.actorId) : eq(notification.actorId, draft.actorId),
        isNull(notification.readAt),
        isNull(notification.archivedAt),
        gt(notification.lastEventAt, since),
      ),
    )
    .orderBy(sql`${notification.seq} desc`)
    .limit(1)
    .for("update");
  if (open) {
    const stronger = weight(draft.kind) >= weight(open.kind);
    const [row] = await tx
      .update(notification)
      .set({
        kind: stronger ? draft.kind : open.kind,
        summary: stronger ? draft.summary : open.summary,
        excerpt: stronger ? draft.excerpt : open.excerpt,
        commentId: stronger && draft.commentId ? draft.commentId : open.commentId,
        count: open.count + 1,
        eventSeq: draft.eventSeq,
        lastEventAt: draft.eventAt,
        emailState: open.emailState === "none" && draft.email ? "pending" : open.emailState,
        // A new seq: the row moves to the top of the inbox and live clients see the change.
        seq: sql`nextval(pg_get_serial_sequence('notification', 'seq'))`,
        updatedAt: new Date(),
      })
      .where(eq(notification.id, open.id))
      .returning({ userId: notification.userId, seq: notification.seq });
    if (!row) throw new Error("notification vanished under its lock");
    return row;
  }
  const [row] = await tx
    .insert(notification)
    .values({
      id: draft.id,
      orgId: draft.orgId,
      userId: draft.userId,
      taskId: draft.taskId,
      kind: draft.kind,
      actorId: draft.actorId,
      commentId: draft.commentId,
      summary: draft.summary,
      excerpt: draft.excerpt,
      eventSeq: draft.eventSeq,
      lastEventAt: draft.eventAt,
      emailState: draft.email ? "pending" : "none",
      archivedAt: draft.inApp ? null : new Date(),
    })
    .returning({ userId: notification.userId, seq: notification.seq });
  if (!row) throw new Error("notification not inserted");
  return row;
}

/** Drops a removed member's watches in the org. */
export async function deleteWatchesOf(db: Executor, { orgId, userId }: { orgId: string; userId: string }) {
  await db.delete(taskWatch).where(and(eq(taskWatch.orgId, orgId), eq(taskWatch.userId, userId)));
}

/** Users among `userIds` who are members of the org. */
export async function filterMembers(db: Executor, { orgId, userIds }: { orgId: string; userIds: string[] }) {
  if (!userIds.length) return [];
  const rows = await db
    .select({ userId: member.userId })
    .from(member)
    .where(and(eq(member.orgId, orgId), inArray(member.userId, userIds)));
  return rows.map((row) => row.userId);
}
