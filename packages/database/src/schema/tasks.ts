import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { user } from "./auth.ts";
import { organization } from "./orgs.ts";
import { project, workflowState } from "./projects.ts";

/** Ranks are fractional-index keys compared bytewise, whatever the database's collation. */
const rankText = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

export const taskStatus = pgEnum("task_status", ["backlog", "todo", "in_progress", "done", "canceled"]);
export const taskPriority = pgEnum("task_priority", ["none", "low", "medium", "high", "urgent"]);
export const taskVisibility = pgEnum("task_visibility", ["public", "private"]);
export const actorType = pgEnum("actor_type", ["user", "github", "system", "apiKey"]);

/** Labels and categories: a named, coloured tag per org, its name unique case-insensitively. */
function tagTable<Name extends "label" | "category">(name: Name) {
  return pgTable(
    name,
    {
      id: text("id").primaryKey(),
      orgId: text("org_id")
        .notNull()
        .references(() => organization.id, { onDelete: "cascade" }),
      name: text("name").notNull(),
      color: text("color").notNull(),
      createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    },
    (t) => [uniqueIndex(`${name}_org_name_uq`).on(t.orgId, sql`lower(${t.name})`)],
  );
}

export const label = tagTable("label");
export const category = tagTable("category");

export const task = pgTable(
  "task",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    projectId: text("project_id")
      .notNull()
      .references(() => project.id, { onDelete: "cascade" }),
    /** Allocated per project: the key is the project's key and this number. */
    number: integer("number").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    stateId: text("state_id")
      .notNull()
      .references(() => workflowState.id),
    /** The state's category in the names clients have always used (written with `stateId`). */
    status: taskStatus("status").notNull().default("todo"),
    startDate: date("start_date", { mode: "string" }),
    dueDate: date("due_date", { mode: "string" }),
    estimate: integer("estimate"),
    priority: taskPriority("priority").notNull().default("none"),
    categoryId: text("category_id").references(() => category.id, { onDelete: "set null" }),
    parentId: text("parent_id").references((): AnyPgColumn => task.id, { onDelete: "set null" }),
    visibility: taskVisibility("visibility").notNull().default("private"),
    /**
     * Labels and assignees live on the row: a board snapshot is one index scan, and a change
     * is one row write. Writers check the ids belong to the org; deleting a label or removing
     * a member strips it from these arrays in the same transaction.
     */
    labelIds: text("label_ids").array().notNull().default(sql`'{}'::text[]`),
    assigneeIds: text("assignee_ids").array().notNull().default(sql`'{}'::text[]`),
    /** GitHub assignees with no Tandem account behind them (login and avatar), kept as GitHub says. */
    externalAssignees: jsonb("external_assignees")
      .$type<{ login: string; avatarUrl: string | null }[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** The linked pull request's review decision, derived from each reviewer's latest review. */
    reviewState: text("review_state").$type<"approved" | "changes_requested">(),
    rank: rankText("rank").notNull(),
    version: integer("version").notNull().default(1),
    /** GitHub `updated_at` each synced field came from, so an older webhook never wins. */
    syncedAt: jsonb("synced_at").$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    updatedBy: text("updated_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("task_project_number_uq").on(t.projectId, t.number),
    index("task_state_idx").on(t.projectId, t.stateId, t.rank, t.id).where(sql`${t.deletedAt} is null`),
    index("task_due_idx").on(t.orgId, t.dueDate).where(sql`${t.deletedAt} is null and ${t.dueDate} is not null`),
    index("task_board_idx").on(t.orgId, t.status, t.rank, t.id).where(sql`${t.deletedAt} is null`),
    index("task_order_idx").on(t.orgId, t.rank, t.id).where(sql`${t.deletedAt} is null`),
    index("task_parent_idx").on(t.parentId),
    index("task_labels_idx").using("gin", t.labelIds),
    index("task_assignees_idx").using("gin", t.assigneeIds),
  ],
);

export const relationType = pgEnum("relation_type", ["blocks", "relates", "duplicate_of"]);

/** A link between two tasks of one org, stored once: `blocked_by` is `blocks` read backwards. */
export const taskRelation = pgTable(
  "task_relation",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    type: relationType("type").notNull(),
    fromTaskId: text("from_task_id")
      .notNull()
      .references(() => task.id, { onDelete: "cascade" }),
    toTaskId: text("to_task_id")
      .notNull()
      .references(() => task.id, { onDelete: "cascade" }),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("task_relation_uq").on(t.fromTaskId, t.toTaskId, t.type),
    index("task_relation_to_idx").on(t.toTaskId),
    index("task_relation_org_idx").on(t.orgId),
  ],
);

export const taskComment = pgTable(
  "task_comment",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    taskId: text("task_id")
      .notNull()
      .references(() => task.id, { onDelete: "cascade" }),
    authorId: text("author_id").references(() => user.id, { onDelete: "set null" }),
    externalAuthor: jsonb("external_author").$type<{ login: string; avatarUrl: string | null }>(),
    body: text("body").notNull(),
    githubCommentId: bigint("github_comment_id", { mode: "number" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    editedAt: timestamp("edited_at", { withTimezone: true }),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [
    index("task_comment_task_idx").on(t.taskId, t.createdAt),
    // One GitHub comment mirrors once per org (a repo may feed several orgs).
    uniqueIndex("task_comment_github_uq").on(t.orgId, t.githubCommentId),
  ],
);

export const taskActivity = pgTable(
  "task_activity",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    taskId: text("task_id")
      .notNull()
      .references(() => task.id, { onDelete: "cascade" }),
    actorId: text("actor_id").references(() => user.id, { onDelete: "set null" }),
    actorType: actorType("actor_type").notNull(),
    /** The API key that acted (`actorType` "apiKey"; `actorId` is then its creator). */
    actorKey: jsonb("actor_key").$type<{ id: string; name: string }>(),
    action: text("action").notNull(),
    changes: jsonb("changes").$type<{ field: string; from: unknown; to: unknown }[]>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("task_activity_task_idx").on(t.taskId, t.createdAt)],
);

export const attachment = pgTable(
  "attachment",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    taskId: text("task_id")
      .notNull()
      .references(() => task.id, { onDelete: "cascade" }),
    /** Object key in the storage backend. */
    storageKey: text("storage_key").notNull(),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [index("attachment_task_idx").on(t.taskId), index("attachment_org_idx").on(t.orgId)],
);
