import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { user } from "./auth.ts";
import { organization } from "./orgs.ts";

/** A workflow state's category (Linear's state types); a task's `status` is derived from it. */
export const stateCategory = pgEnum("state_category", ["backlog", "unstarted", "started", "completed", "canceled"]);

/**
 * A project: its own key (task keys are `KEY-number`), its own workflow and its own public
 * board. Task numbers are allocated from `lastTaskNumber` under the project row's lock.
 */
export const project = pgTable(
  "project",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    /** Keys it had before a rename: old task keys (`OLD-42`) still resolve, unless a project has taken that key since. */
    formerKeys: text("former_keys").array().notNull().default(sql`'{}'::text[]`),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    color: text("color").notNull().default("#6366f1"),
    icon: text("icon"),
    archived: boolean("archived").notNull().default(false),
    publicBoard: boolean("public_board").notNull().default(false),
    publicFields: jsonb("public_fields")
      .$type<string[]>()
      .notNull()
      .default(sql`'["status","priority","labels"]'::jsonb`),
    position: integer("position").notNull().default(0),
    lastTaskNumber: integer("last_task_number").notNull().default(0),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("project_org_key_uq").on(t.orgId, t.key), index("project_org_idx").on(t.orgId, t.position)],
);

export const workflowState = pgTable(
  "workflow_state",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    projectId: text("project_id")
      .notNull()
      .references(() => project.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    color: text("color").notNull(),
    /** Fixed when the state is made: tasks' `status` follows it. */
    category: stateCategory("category").notNull(),
    position: integer("position").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("workflow_state_project_idx").on(t.projectId, t.position)],
);

export const viewGroupBy = pgEnum("view_group_by", ["none", "state", "assignee", "priority", "label"]);
export const viewLayout = pgEnum("view_layout", ["board", "list"]);

/** A saved filter + grouping + sort; `ownerId` null means shared with the whole org. */
export const savedView = pgTable(
  "saved_view",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    projectId: text("project_id").references(() => project.id, { onDelete: "cascade" }),
    ownerId: text("owner_id").references(() => user.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    filters: jsonb("filters").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    groupBy: viewGroupBy("group_by").notNull().default("state"),
    sort: jsonb("sort").$type<{ field: string; direction: "asc" | "desc" }>(),
    layout: viewLayout("layout").notNull().default("board"),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("saved_view_org_idx").on(t.orgId, t.ownerId)],
);
