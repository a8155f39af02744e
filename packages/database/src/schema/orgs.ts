import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { user } from "./auth.ts";

export const organization = pgTable("organization", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  prefix: text("prefix").notNull(),
  publicBoard: boolean("public_board").notNull().default(false),
  publicFields: jsonb("public_fields")
    .$type<string[]>()
    .notNull()
    .default(sql`'["status","priority","labels"]'::jsonb`),
  createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Per-org counters, kept off the organization row so settings edits never wait on task
 * creation. Incrementing inside the mutating transaction makes numbers and event `seq`
 * gapless, and the row lock orders commits by `seq`.
 */
export const orgCounter = pgTable("org_counter", {
  orgId: text("org_id")
    .primaryKey()
    .references(() => organization.id, { onDelete: "cascade" }),
  lastTaskNumber: integer("last_task_number").notNull().default(0),
  lastEventSeq: bigint("last_event_seq", { mode: "number" }).notNull().default(0),
});

/**
 * Bytes of attachments each org holds. Uploads reserve their size with one conditional
 * UPDATE before storing (so concurrent uploads cannot overshoot the quota) and give it back
 * on failure or delete. Its own row, so uploads never wait on the event counter.
 */
export const orgStorage = pgTable("org_storage", {
  orgId: text("org_id")
    .primaryKey()
    .references(() => organization.id, { onDelete: "cascade" }),
  usedBytes: bigint("used_bytes", { mode: "number" }).notNull().default(0),
});

export const member = pgTable(
  "member",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("member_org_user_uq").on(t.orgId, t.userId), index("member_user_idx").on(t.userId)],
);

export const team = pgTable(
  "team",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    permissions: jsonb("permissions").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("team_org_name_uq").on(t.orgId, t.name)],
);

export const memberTeam = pgTable(
  "member_team",
  {
    teamId: text("team_id")
      .notNull()
      .references(() => team.id, { onDelete: "cascade" }),
    memberId: text("member_id")
      .notNull()
      .references(() => member.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.memberId] }), index("member_team_member_idx").on(t.memberId)],
);

export const inviteStatus = pgEnum("invite_status", ["pending", "accepted", "revoked"]);

export const invite = pgTable(
  "invite",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    code: text("code").notNull().unique(),
    email: text("email"),
    /** Teams the invitee joins; checked against what the inviter may grant, again on accept. */
    teamIds: jsonb("team_ids").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    status: inviteStatus("status").notNull().default("pending"),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    acceptedBy: text("accepted_by").references(() => user.id, { onDelete: "set null" }),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("invite_org_idx").on(t.orgId)],
);
