import { z } from "zod";
import { ZActorKey } from "./api-keys.ts";
import { ZStateCategory } from "./projects.ts";
import { ZExternalUser, ZTaskPriority, ZTaskStatus, ZTaskVisibility } from "./task.ts";

/**
 * The Tandem export (SPEC §15): the whole org as one JSON document, streamed. Its schema is
 * also what an import of format "tandem" validates against, so the two cannot drift apart.
 * Ids are the exporting org's; an import remaps them and keeps numbers (and so keys).
 */
const ZExportTag = z.object({ id: z.string(), name: z.string(), color: z.string() });
export const ZExportMember = z.object({ id: z.string(), email: z.string(), name: z.string() });
export const ZExportTask = z.object({
  id: z.string(),
  number: z.number().int().positive(),
  key: z.string(),
  title: z.string(),
  description: z.string(),
  status: ZTaskStatus,
  priority: ZTaskPriority,
  visibility: ZTaskVisibility,
  categoryId: z.string().nullable(),
  parentId: z.string().nullable(),
  labelIds: z.array(z.string()),
  assigneeIds: z.array(z.string()),
  externalAssignees: z.array(ZExternalUser),
  rank: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Projects (SPEC §13); absent from exports made before them. */
  projectId: z.string().optional(),
  stateId: z.string().optional(),
  startDate: z.iso.date().nullable().optional(),
  dueDate: z.iso.date().nullable().optional(),
  estimate: z.number().int().min(0).max(1000).nullable().optional(),
});
/** A project and its workflow as exported (the states in column order). */
export const ZExportProject = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  /** Absent from exports made before they were written out. */
  description: z.string().optional(),
  color: z.string().optional(),
  states: z.array(z.object({ id: z.string(), name: z.string(), color: z.string(), category: ZStateCategory })),
});
/** A link between two exported tasks, stored one way (`blocks`: from blocks to). */
export const ZExportRelation = z.object({
  id: z.string(),
  type: z.enum(["blocks", "relates", "duplicate_of"]),
  fromTaskId: z.string(),
  toTaskId: z.string(),
  createdAt: z.string(),
});
export const ZExportComment = z.object({
  id: z.string(),
  taskId: z.string(),
  authorId: z.string().nullable(),
  externalAuthor: ZExternalUser.nullable(),
  body: z.string(),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
});
export const ZExportActivity = z.object({
  id: z.string(),
  taskId: z.string(),
  actorId: z.string().nullable(),
  actorType: z.enum(["user", "github", "system", "apiKey"]),
  actorKey: ZActorKey.nullable(),
  action: z.string(),
  changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
  createdAt: z.string(),
});
export const ZExportAttachment = z.object({
  id: z.string(),
  taskId: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  /** A signed download link, valid for a day from the export. */
  url: z.string(),
});
export const EXPORT_FORMAT_VERSION = 1;
export const ZTandemExport = z.object({
  format: z.literal("tandem"),
  version: z.literal(EXPORT_FORMAT_VERSION),
  exportedAt: z.string(),
  org: z.object({ name: z.string(), slug: z.string(), prefix: z.string() }),
  members: z.array(ZExportMember),
  projects: z.array(ZExportProject).optional(),
  labels: z.array(ZExportTag),
  categories: z.array(ZExportTag),
  tasks: z.array(ZExportTask),
  comments: z.array(ZExportComment),
  activity: z.array(ZExportActivity),
  attachments: z.array(ZExportAttachment),
  /** Absent from exports made before relations were exported. */
  relations: z.array(ZExportRelation).optional(),
});
export type TTandemExport = z.infer<typeof ZTandemExport>;
export type TExportTask = z.infer<typeof ZExportTask>;

export const ZExportQuery = z
  .strictObject({
    format: z.enum(["json", "csv"]).default("json"),
    /** CSV only: the tasks of this project (id or key); without it, every project's. */
    project: z.string().min(1).max(64).optional(),
  })
  .refine((query) => query.format === "csv" || query.project === undefined, {
    message: "Only a CSV export is of one project",
    path: ["project"],
  });

export const IMPORT_FORMATS = ["tandem", "csv", "trello"] as const;
export const ZImportFormat = z.enum(IMPORT_FORMATS);
export type TImportFormat = z.infer<typeof ZImportFormat>;

/** Which CSV column holds each task field (the header's text); only the title is required. */
export const ZCsvMapping = z.strictObject({
  title: z.string().min(1).max(200),
  description: z.string().min(1).max(200).optional(),
  status: z.string().min(1).max(200).optional(),
  priority: z.string().min(1).max(200).optional(),
  /** Label names separated by commas or semicolons; missing labels are created. */
  labels: z.string().min(1).max(200).optional(),
  /** Assignees' e-mail addresses (comma or semicolon separated); non-members are left out. */
  assignees: z.string().min(1).max(200).optional(),
});
export type TCsvMapping = z.infer<typeof ZCsvMapping>;

/** What an import creates (or, dry run, would create). */
export const ZImportCounts = z.object({
  tasks: z.number().int(),
  comments: z.number().int(),
  labels: z.number().int(),
  categories: z.number().int(),
  activity: z.number().int(),
});
export type TImportCounts = z.infer<typeof ZImportCounts>;

export const ZImportPreview = z.object({
  format: ZImportFormat,
  counts: ZImportCounts,
  /** The first tasks as they would be created. */
  sample: z.array(
    z.object({ title: z.string(), status: ZTaskStatus, priority: ZTaskPriority, labels: z.array(z.string()) }),
  ),
  /** What will not come across (attachments' files, archived cards, unknown assignees…). */
  warnings: z.array(z.string()),
});
export type TImportPreview = z.infer<typeof ZImportPreview>;

export const ZImportStatus = z.enum(["queued", "running", "completed", "failed"]);
export const ZImport = z.object({
  id: z.string(),
  format: ZImportFormat,
  filename: z.string(),
  status: ZImportStatus,
  /** Tasks planned and tasks written so far (progress). */
  total: z.number().int(),
  done: z.number().int(),
  warnings: z.array(z.string()),
  error: z.string().nullable(),
  /** The project tasks go to (null: the org's first project, or the export's own projects). */
  projectId: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type TImport = z.infer<typeof ZImport>;
