/**
 * The notifier's queries (SPEC §14): each runs inside one org's transaction, so the cursor,
 * the watchers and the notifications it writes commit together.
 */
import { and, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import { eventCursor, member, notification, task, taskWatch, user } from "../schema/index.ts";

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

/**
 * Which of these tasks still exist, each held (FOR KEY SHARE) until the transaction ends: a
 * task deleted meanwhile (with its project) waits for the caller's rows that point at it.
 */
export async function lockExistingTaskIds(tx: Transaction, { orgId, ids }: { orgId: string; ids: string[] }) {
  if (ids.length === 0) return new Set<string>();
  const rows = await tx
    .select({ id: task.id })
    .from(task)
    .where(and(eq(task.orgId, orgId), inArray(task.id, ids)))
    .for("key share");
  return new Set(rows.map((row) => row.id));
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

/**
 * Who watches these tasks without a row of their own: each one's creator and assignees (the
 * batch's comments name a task, not its people).
 */
export async function listImplicitWatchers(db: Executor, { orgId, taskIds }: { orgId: string; taskIds: string[] }) {
  if (!taskIds.length) return [];
  return db
    .select({ id: task.id, createdBy: task.createdBy, assigneeIds: task.assigneeIds })
    .from(task)
    .where(and(eq(task.orgId, orgId), inArray(task.id, taskIds)));
}

export type WatchRow = typeof taskWatch.$inferInsert;

/** Adds watchers, in one statement; someone who unwatched stays unwatched. */
export async function addWatchers(db: Executor, rows: WatchRow[]) {
  if (!rows.length) return;
  await db.insert(taskWatch).values(rows).onConflictDoNothing();
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

/** A user's own row for a task: true watches, false unwatched, null none (creator and assignees watch without one). */
export async function getWatch(
  db: Executor,
  { orgId, taskId, userId }: { orgId: string; taskId: string; userId: string },
): Promise<boolean | null> {
  const rows = await db
    .select({ watching: taskWatch.watching })
    .from(taskWatch)
    .where(and(eq(taskWatch.orgId, orgId), eq(taskWatch.taskId, taskId), eq(taskWatch.userId, userId)));
  return rows[0]?.watching ?? null;
}

/** Each watcher row of these tasks: `watching` false for those who unwatched. */
export async function listWatchers(db: Executor, { orgId, taskIds }: { orgId: string; taskIds: string[] }) {
  if (!taskIds.length) return [];
  return db
    .select({ taskId: taskWatch.taskId, userId: taskWatch.userId, watching: taskWatch.watching })
    .from(taskWatch)
    .where(and(eq(taskWatch.orgId, orgId), inArray(taskWatch.taskId, taskIds)));
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
  /** Changes folded into this draft already (a burst inside one batch). */
  count: number;
  eventSeq: number;
  eventAt: Date;
  /** The recipient wants it in the inbox (else it is written archived, for the e-mail alone). */
  inApp: boolean;
  email: boolean;
};

export type OpenNotification = typeof notification.$inferSelect;

/**
 * The recipients' open notifications (unread, not archived, last event since `since`) on these
 * tasks, locked for folding new changes into them.
 */
export async function lockOpenNotifications(
  tx: Transaction,
  { orgId, userIds, taskIds, since }: { orgId: string; userIds: string[]; taskIds: string[]; since: Date },
): Promise<OpenNotification[]> {
  if (!userIds.length || !taskIds.length) return [];
  const rows = await tx
    .select()
    .from(notification)
    .where(
      and(
        eq(notification.orgId, orgId),
        inArray(notification.userId, userIds),
        inArray(notification.taskId, taskIds),
        isNull(notification.readAt),
        isNull(notification.archivedAt),
        gt(notification.lastEventAt, since),
      ),
    )
    .for("update");
  // Sorted here, not by the query: an ORDER BY seq lets the planner walk the recipient's whole
  // inbox by seq (notification_inbox_idx) instead of looking the batch's tasks up directly.
  return rows.sort((a, b) => a.seq - b.seq);
}

/** Folds a change into an open notification; a new seq moves it to the top of the inbox. */
export async function foldNotification(
  tx: Transaction,
  id: string,
  values: Pick<
    OpenNotification,
    "kind" | "summary" | "excerpt" | "commentId" | "count" | "eventSeq" | "lastEventAt" | "emailState"
  >,
) {
  await tx
    .update(notification)
    .set({ ...values, seq: sql`nextval(pg_get_serial_sequence('notification', 'seq'))`, updatedAt: new Date() })
    .where(eq(notification.id, id));
}

/**
 * Writes new notifications in one statement, in the drafts' order. `once`: a draft whose id is
 * already there is skipped (ids derived from what the notification is about); answers the
 * recipients of those written.
 */
export async function insertNotifications(
  tx: Transaction,
  drafts: NotificationDraft[],
  { once = false }: { once?: boolean } = {},
): Promise<string[]> {
  if (!drafts.length) return [];
  const now = new Date();
  const insert = tx.insert(notification).values(
    drafts.map((draft) => ({
      id: draft.id,
      orgId: draft.orgId,
      userId: draft.userId,
      taskId: draft.taskId,
      kind: draft.kind,
      actorId: draft.actorId,
      commentId: draft.commentId,
      summary: draft.summary,
      excerpt: draft.excerpt,
      count: draft.count,
      eventSeq: draft.eventSeq,
      lastEventAt: draft.eventAt,
      emailState: draft.email ? ("pending" as const) : ("none" as const),
      archivedAt: draft.inApp ? null : now,
    })),
  );
  const rows = await (once ? insert.onConflictDoNothing() : insert).returning({ userId: notification.userId });
  return rows.map((row) => row.userId);
}

/** What a due-date reminder needs of its task (deleted ones included: the reminder then drops). */
export async function getReminderTask(db: Executor, { orgId, taskId }: { orgId: string; taskId: string }) {
  const rows = await db.execute<{
    id: string;
    key: string;
    title: string;
    status: string;
    due_date: string | null;
    assignee_ids: string[];
    created_by: string | null;
    deleted: boolean;
  }>(sql`
    select t.id, p.key || '-' || t.number as key, t.title, t.status, t.due_date::text as due_date, t.assignee_ids,
           t.created_by, t.deleted_at is not null as deleted
      from task t join project p on p.id = t.project_id
     where t.org_id = ${orgId} and t.id = ${taskId}`);
  return rows[0];
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
