import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_KINDS,
  type TMarkReadInput,
  type TNotification,
  type TNotificationKind,
  type TNotificationPage,
  type TNotificationPreferences,
} from "@tandem/contracts";
import {
  changeInbox,
  countUnread,
  getWatch,
  listInbox,
  listPreferences,
  putPreferences,
  setWatch,
} from "@tandem/database";
import { traced } from "@tandem/opentelemetry";
import { actorId, defineMutation, defineQuery, executor, type PublicCtx, type UserCtx } from "../context.ts";
import { forbidden, invalid } from "../errors.ts";
import { loadTask } from "../tasks/shared.ts";
import { notificationPath } from "./notifier.ts";
import { readUnsubscribeToken } from "./unsubscribe.ts";

type InboxRow = Awaited<ReturnType<typeof listInbox>>[number];

export function toNotificationDto(row: InboxRow): TNotification {
  return {
    id: row.id,
    seq: row.seq,
    orgId: row.orgId,
    orgSlug: row.orgSlug,
    taskId: row.taskId,
    taskKey: row.taskKey,
    taskTitle: row.taskTitle,
    kind: row.kind as TNotificationKind,
    actorId: row.actorId,
    commentId: row.commentId,
    summary: row.summary,
    count: row.count,
    path: notificationPath(row),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
    archivedAt: row.archivedAt?.toISOString() ?? null,
  };
}

/** The signed-in user's inbox, newest first (archived left out), with the unread count. */
export function listNotifications({
  ctx,
  input,
}: {
  ctx: UserCtx;
  input: { unread?: "true" | "false" | undefined; cursor?: number | undefined; limit: number };
}): Promise<TNotificationPage> {
  return traced("notification.list", async () => {
    const rows = await listInbox(ctx.db, {
      userId: ctx.userId,
      unread: input.unread === "true",
      cursor: input.cursor,
      limit: input.limit,
    });
    const last = rows.at(-1);
    return {
      notifications: rows.map(toNotificationDto),
      nextCursor: rows.length === input.limit && last ? last.seq : null,
      unreadCount: await countUnread(ctx.db, { userId: ctx.userId }),
    };
  });
}

/**
 * Marks notifications read (`ids` or `all`) or archives them; the user's other tabs hear of it
 * on the inbox channel (`onInbox`). Ids of other users' notifications change nothing.
 */
export function changeNotifications({
  ctx,
  input,
  onInbox,
}: {
  ctx: UserCtx;
  input: { change: "read" | "archive"; target: TMarkReadInput };
  onInbox: (userIds: string[]) => void;
}): Promise<{ updated: number; unreadCount: number }> {
  return traced(`notification.${input.change}`, async () => {
    const ids = "all" in input.target ? "all" : input.target.ids;
    const changed = await changeInbox(ctx.db, { userId: ctx.userId, ids, change: input.change });
    if (changed.length) onInbox([ctx.userId]);
    return { updated: changed.length, unreadCount: await countUnread(ctx.db, { userId: ctx.userId }) };
  });
}

function preferencesOf(rows: { kind: string; channel: string; enabled: boolean }[]): TNotificationPreferences {
  const off = new Set(rows.filter((row) => !row.enabled).map((row) => `${row.kind}:${row.channel}`));
  return {
    preferences: NOTIFICATION_KINDS.flatMap((kind) =>
      NOTIFICATION_CHANNELS.map((channel) => ({ kind, channel, enabled: !off.has(`${kind}:${channel}`) })),
    ),
  };
}

/** Every kind × channel with whether it is on (on unless turned off). */
export function getNotificationPreferences({ ctx }: { ctx: UserCtx; input: undefined }) {
  return traced("notification.preferences.get", async () =>
    preferencesOf(await listPreferences(ctx.db, { userIds: [ctx.userId] })),
  );
}

export function putNotificationPreferences({ ctx, input }: { ctx: UserCtx; input: TNotificationPreferences }) {
  return traced("notification.preferences.put", async () => {
    await putPreferences(ctx.db, { userId: ctx.userId, preferences: input.preferences });
    return preferencesOf(await listPreferences(ctx.db, { userIds: [ctx.userId] }));
  });
}

/**
 * RFC 8058 one-click unsubscribe: the signed token names its recipient and scope, so it works
 * without a session and turns off only that user's e-mails.
 */
export function unsubscribeByToken({ ctx, input }: { ctx: PublicCtx; input: { token: string } }) {
  return traced("notification.unsubscribe", async () => {
    const claim = readUnsubscribeToken(ctx.services.unsubscribeSecret, input.token);
    if (!claim) throw invalid("token", "This unsubscribe link is not valid");
    const kinds = claim.scope === "all" ? NOTIFICATION_KINDS : [claim.scope];
    await putPreferences(ctx.db, {
      userId: claim.userId,
      preferences: kinds.map((kind) => ({ kind, channel: "email" as const, enabled: false })),
    });
    return { unsubscribed: kinds };
  });
}

/** Whether the caller watches a task: their own choice, else being its creator or an assignee. */
export const getTaskSubscription = defineQuery<{ taskId: string }, { taskId: string; watching: boolean }>(
  "task.subscription.get",
  null,
  async ({ ctx, input }) => {
    const userId = actorId(ctx);
    if (!userId) throw forbidden("Only a member can watch a task");
    const task = await loadTask(ctx, input.taskId);
    const row = await getWatch(executor(ctx), { orgId: ctx.org.id, taskId: task.id, userId });
    return { taskId: task.id, watching: row ?? (task.createdBy === userId || task.assigneeIds.includes(userId)) };
  },
);

/** Watch or unwatch a task: a member's own choice, which the notifier then keeps. */
export const setTaskSubscription = defineMutation<
  { taskId: string; watching: boolean },
  { taskId: string; watching: boolean }
>("task.subscription", null, async ({ ctx, input }) => {
  const userId = actorId(ctx);
  if (!userId) throw forbidden("Only a member can watch a task");
  const task = await loadTask(ctx, input.taskId);
  await setWatch(ctx.tx, { orgId: ctx.org.id, taskId: task.id, userId, watching: input.watching });
  return { taskId: task.id, watching: input.watching };
});
