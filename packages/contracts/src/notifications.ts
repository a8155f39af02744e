import { z } from "zod";

export { githubMentionedLogins, mentionedUserIds, mentionOf, mentionsAsNames } from "./mentions.ts";

/**
 * What a notification is about; `github_commented` is a comment mirrored from GitHub;
 * `due_soon` (the day before) and `overdue` (the day after) are due-date reminders.
 */
export const NOTIFICATION_KINDS = [
  "assigned",
  "mentioned",
  "commented",
  "state_changed",
  "github_commented",
  "due_soon",
  "overdue",
] as const;
export const ZNotificationKind = z.enum(NOTIFICATION_KINDS);
export type TNotificationKind = z.infer<typeof ZNotificationKind>;
export const NOTIFICATION_CHANNELS = ["inApp", "email"] as const;
export const ZNotificationChannel = z.enum(NOTIFICATION_CHANNELS);
export type TNotificationChannel = z.infer<typeof ZNotificationChannel>;

/** When one actor's burst on a task folds into one notification, the strongest kind names it. */
export const KIND_WEIGHT: Record<TNotificationKind, number> = {
  mentioned: 5,
  assigned: 4,
  commented: 3,
  github_commented: 2,
  state_changed: 1,
  // Reminders have no actor, so they never fold with someone's changes.
  due_soon: 0,
  overdue: 0,
};

export const ZNotification = z.object({
  id: z.string(),
  seq: z.number().int(),
  orgId: z.string(),
  orgSlug: z.string(),
  taskId: z.string(),
  /** `ENG-42` */
  taskKey: z.string(),
  taskTitle: z.string(),
  kind: ZNotificationKind,
  actorId: z.string().nullable(),
  commentId: z.string().nullable(),
  summary: z.string(),
  /** How many changes folded into it. */
  count: z.number().int(),
  /** The UI path that opens the task (and the comment): `/o/:slug?task=ENG-42#comment-…`. */
  path: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  readAt: z.string().nullable(),
  archivedAt: z.string().nullable(),
});
export type TNotification = z.infer<typeof ZNotification>;

export const ZNotificationsQuery = z.strictObject({
  unread: z.enum(["true", "false"]).optional(),
  cursor: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ZNotificationPage = z.object({
  notifications: z.array(ZNotification),
  nextCursor: z.number().int().nullable(),
  unreadCount: z.number().int(),
});
export type TNotificationPage = z.infer<typeof ZNotificationPage>;

const ZIds = z.array(z.string().min(1).max(64)).min(1).max(500);
export const ZMarkReadInput = z.union([z.strictObject({ ids: ZIds }), z.strictObject({ all: z.literal(true) })]);
export type TMarkReadInput = z.infer<typeof ZMarkReadInput>;
export const ZArchiveInput = z.strictObject({ ids: ZIds });
export const ZInboxChange = z.object({ updated: z.number().int(), unreadCount: z.number().int() });

export const ZNotificationPreferences = z.object({
  preferences: z.array(z.object({ kind: ZNotificationKind, channel: ZNotificationChannel, enabled: z.boolean() })),
});
export type TNotificationPreferences = z.infer<typeof ZNotificationPreferences>;
export const ZPutNotificationPreferences = z.strictObject({
  preferences: z
    .array(z.strictObject({ kind: ZNotificationKind, channel: ZNotificationChannel, enabled: z.boolean() }))
    .min(1)
    .max(20),
});

export const ZSubscription = z.object({ taskId: z.string(), watching: z.boolean() });
export type TSubscription = z.infer<typeof ZSubscription>;
