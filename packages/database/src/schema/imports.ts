import { index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { user } from "./auth.ts";
import { organization } from "./orgs.ts";
import { project } from "./projects.ts";

export const importFormat = pgEnum("import_format", ["tandem", "csv", "trello"]);
export const importStatus = pgEnum("import_status", ["queued", "running", "completed", "failed"]);

/**
 * An import (SPEC §15): the uploaded file is kept with it until it completes, so the worker's
 * job can run (and resume after a crash) from the database alone.
 */
export const dataImport = pgTable(
  "data_import",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    format: importFormat("format").notNull(),
    filename: text("filename").notNull(),
    status: importStatus("status").notNull().default("queued"),
    /** The file's text; cleared once the import has completed. */
    source: text("source"),
    /** Where tasks without a project of the file go (none: the org's first project). */
    projectId: text("project_id").references(() => project.id, { onDelete: "set null" }),
    /** The CSV column mapping. */
    mapping: jsonb("mapping").$type<Record<string, string>>(),
    /** Decided when the job first starts: keep the export's numbers (the org had no task then). */
    keepNumbers: text("keep_numbers").$type<"yes" | "no">(),
    total: integer("total").notNull().default(0),
    done: integer("done").notNull().default(0),
    warnings: jsonb("warnings").$type<string[]>().notNull().default([]),
    error: text("error"),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("data_import_org_idx").on(t.orgId, t.createdAt)],
);

/**
 * What an import has written, by the source's own key (`task:<id>`, `label:<name>` …): written in
 * the same transaction as the rows it names, so a resumed import skips exactly what committed.
 */
export const dataImportItem = pgTable(
  "data_import_item",
  {
    importId: text("import_id")
      .notNull()
      .references(() => dataImport.id, { onDelete: "cascade" }),
    sourceKey: text("source_key").notNull(),
    targetId: text("target_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.sourceKey] })],
);
