import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { organization } from "./orgs.ts";
import { project } from "./projects.ts";
import { category, task } from "./tasks.ts";

export const githubRepository = pgTable(
  "github_repository",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    fullName: text("full_name").notNull(),
    githubRepoId: bigint("github_repo_id", { mode: "number" }),
    categoryId: text("category_id").references(() => category.id, { onDelete: "set null" }),
    /** Where the repo's issues land; null = the org's first project. */
    projectId: text("project_id").references(() => project.id, { onDelete: "set null" }),
    enabled: boolean("enabled").notNull().default(true),
    /** AES-256-GCM ciphertext; never leaves the server. */
    tokenEncrypted: text("token_encrypted"),
    /**
     * The link's own webhook secret, sealed like the token: a delivery reaches this link only
     * when signed with it. Shown once when made (link or rotate), never returned again.
     */
    webhookSecretEncrypted: text("webhook_secret_encrypted"),
    lastSyncedAt: timestamp("last_synced_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("github_repository_org_name_uq").on(t.orgId, t.fullName),
    index("github_repository_name_idx").on(t.fullName),
  ],
);

export const githubIssue = pgTable(
  "github_issue",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    repositoryId: text("repository_id")
      .notNull()
      .references(() => githubRepository.id, { onDelete: "cascade" }),
    taskId: text("task_id")
      .notNull()
      .references(() => task.id, { onDelete: "cascade" }),
    githubIssueId: bigint("github_issue_id", { mode: "number" }).notNull(),
    number: integer("number").notNull(),
    state: text("state").notNull(),
    githubUpdatedAt: timestamp("github_updated_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("github_issue_repo_number_uq").on(t.repositoryId, t.number)],
);

export const githubPullRequest = pgTable(
  "github_pull_request",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    repositoryId: text("repository_id")
      .notNull()
      .references(() => githubRepository.id, { onDelete: "cascade" }),
    taskId: text("task_id")
      .notNull()
      .references(() => task.id, { onDelete: "cascade" }),
    githubPullRequestId: bigint("github_pull_request_id", { mode: "number" }).notNull(),
    number: integer("number").notNull(),
    state: text("state").notNull(),
    merged: boolean("merged").notNull().default(false),
    /** Each reviewer's latest decisive review (GitHub user id → state and `submitted_at`). */
    reviews: jsonb("reviews")
      .$type<Record<string, { id: number; state: string; at: string }>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    githubUpdatedAt: timestamp("github_updated_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("github_pull_request_repo_number_uq").on(t.repositoryId, t.number)],
);

/**
 * A GitHub App installation an org has claimed (verified with the app's credentials): App-mode
 * deliveries, signed with the global secret, reach only the org that claimed their installation.
 */
export const githubInstallation = pgTable("github_installation", {
  id: bigint("id", { mode: "number" }).primaryKey(),
  orgId: text("org_id")
    .notNull()
    .references(() => organization.id, { onDelete: "cascade" }),
  account: text("account").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const webhookDelivery = pgTable(
  "webhook_delivery",
  {
    id: text("id").primaryKey(),
    /** The one link the delivery was verified for; its org's admins see it. */
    linkId: text("link_id").references(() => githubRepository.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    action: text("action"),
    /** `owner/name` of the payload's repository, so an org's admins see its deliveries. */
    repository: text("repository"),
    status: text("status").$type<"queued" | "processed" | "ignored" | "failed" | "dead">().notNull(),
    /** The last error (or why the delivery was ignored) and the step it happened in. */
    error: text("error"),
    errorStep: text("error_step"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [index("webhook_delivery_link_idx").on(t.linkId, t.receivedAt)],
);

/**
 * What GitHub deleted (an issue, a comment, a label), by GitHub id per link: a create or edit
 * that arrives after the deletion changes nothing.
 */
export const githubTombstone = pgTable(
  "github_tombstone",
  {
    repositoryId: text("repository_id")
      .notNull()
      .references(() => githubRepository.id, { onDelete: "cascade" }),
    kind: text("kind").$type<"issue" | "comment" | "label">().notNull(),
    githubId: bigint("github_id", { mode: "number" }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.repositoryId, t.kind, t.githubId] })],
);

/**
 * GitHub accounts as signed deliveries showed them (id → login, newest wins): how a mention of
 * `@login` in a mirrored comment finds the member who signed in with that GitHub account.
 */
export const githubUser = pgTable(
  "github_user",
  {
    githubId: bigint("github_id", { mode: "number" }).primaryKey(),
    login: text("login").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("github_user_login_idx").on(sql`lower(${t.login})`)],
);
