import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { user } from "./auth.ts";
import { organization } from "./orgs.ts";
import { task } from "./tasks.ts";

/**
 * One notification per recipient (SPEC §14), written by the notifier that follows the event
 * log. A burst of one actor's changes on one task updates the open row (`count`, `summary`)
 * instead of adding rows. `seq` orders a recipient's inbox and is its cursor.
 */
export const notification = pgTable(
  "notification",
  {
    id: text("id").primaryKey(),
    seq: bigserial("seq", { mode: "number" }).notNull().unique(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    orgId: text("org_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    taskId: text("task_id")
      .notNull()
      .references(() => task.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    actorId: text("actor_id").references(() => user.id, { onDelete: "set null" }),
    /** The comment the notification is about (the link lands on it), when there is one. */
    commentId: text("comment_id"),
    summary: text("summary").notNull(),
    /** Markdown excerpt (a comment's body) for the e-mail. */
    excerpt: text("excerpt").notNull().default(""),
    count: integer("count").notNull().default(1),
    /** The last event folded into it, and when that event happened (the collapse window). */
    eventSeq: bigint("event_seq", { mode: "number" }).notNull(),
    lastEventAt: timestamp("last_event_at", { withTimezone: true }).notNull(),
    /** `pending`: an e-mail is due; `sent`; `none`: the recipient's preferences say no e-mail. */
    emailState: text("email_state").$type<"pending" | "sent" | "none">().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp("read_at", { withTimezone: true }),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
  },
  (t) => [
    index("notification_inbox_idx").on(t.userId, t.seq),
    index("notification_collapse_idx").on(t.userId, t.taskId, t.actorId).where(sql`${t.readAt} is null`),
    index("notification_email_idx").on(t.userId, t.createdAt).where(sql`${t.emailState} = 'pending'`),
  ],
);

/**
 * Who watches a task besides its creator and assignees (who watch it without a row): rows the
 * notifier adds (commenters, mentioned members, assignees when removed) or the user sets; a row
 * with `watching` false is someone who unwatched, creator and assignees too.
 */
export const taskWatch = pgTable(
  "task_watch",
  {
    orgId: text("org_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    taskId: text("task_id")
      .notNull()
      .references(() => task.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    /** false: the user unwatched; the notifier never turns it back on by itself. */
    watching: boolean("watching").notNull(),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.userId] }), index("task_watch_org_idx").on(t.orgId)],
);

/** A user's choice per kind and channel; no row means on. */
export const notificationPreference = pgTable(
  "notification_preference",
  {
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    channel: text("channel").$type<"inApp" | "email">().notNull(),
    enabled: boolean("enabled").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind, t.channel] })],
);
