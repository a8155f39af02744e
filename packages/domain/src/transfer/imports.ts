import {
  type TCsvMapping,
  type TImport,
  type TImportFormat,
  type TImportPreview,
  ZCsvMapping,
} from "@tandem/contracts";
import { getImport, insertImport, type ListedImport, listImports, listMembers } from "@tandem/database";
import { newId } from "@tandem/util";
import { actorId, defineMutation, defineQuery } from "../context.ts";
import { invalid, notFound } from "../errors.ts";
import { resolveProject } from "../projects/workflow.ts";
import { recordEvent } from "../record-event.ts";
import { planCsv } from "./parse-csv.ts";
import { planTandemExport } from "./parse-tandem.ts";
import { planTrelloBoard } from "./parse-trello.ts";
import { ImportFileError, type ImportPlan, previewOf } from "./plan.ts";
import { assertStorable } from "./storable.ts";

export function toImportDto(row: ListedImport): TImport {
  return {
    id: row.id,
    format: row.format,
    filename: row.filename,
    status: row.status,
    total: row.total,
    done: row.done,
    warnings: row.warnings,
    error: row.error,
    projectId: row.projectId,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/** The file as a plan, by its format; a file that cannot be read throws ImportFileError. */
export function parseImportFile(format: TImportFormat, text: string, mapping: unknown): ImportPlan {
  const plan = planOf(format, text, mapping);
  assertStorable(plan);
  return plan;
}

function planOf(format: TImportFormat, text: string, mapping: unknown): ImportPlan {
  switch (format) {
    case "tandem":
      return planTandemExport(text);
    case "trello":
      return planTrelloBoard(text);
    case "csv": {
      const parsed = ZCsvMapping.safeParse(mapping);
      if (!parsed.success) throw new ImportFileError("A CSV import needs a column mapping with at least the title");
      return planCsv(text, parsed.data);
    }
    default:
      throw new ImportFileError(`Unknown import format "${String(format).slice(0, 20)}"`);
  }
}

type ImportInput = {
  format: TImportFormat;
  filename: string;
  text: string;
  mapping?: TCsvMapping | undefined;
  /** Id or key of the project tasks go to (another org's: NOT_FOUND); default: the first one. */
  project?: string | undefined;
};

function planOrInvalid(input: ImportInput): ImportPlan {
  try {
    return parseImportFile(input.format, input.text, input.mapping);
  } catch (error) {
    if (error instanceof ImportFileError) throw invalid("file", error.message);
    throw error;
  }
}

/** Adds a warning for each person the plan names who is not a member here (they are left out). */
async function withMemberWarnings(members: { email: string }[], plan: ImportPlan): Promise<ImportPlan> {
  const emails = new Set(members.map((member) => member.email.toLowerCase()));
  const missing = new Set<string>();
  for (const task of plan.tasks)
    for (const email of task.assigneeEmails) if (!emails.has(email.toLowerCase())) missing.add(email);
  if (missing.size === 0) return plan;
  const names = [...missing].slice(0, 10).join(", ");
  return {
    ...plan,
    warnings: [...plan.warnings, `${missing.size} assignee(s) are not members here and are left out: ${names}`],
  };
}

/** A dry run: what the file would create, nothing written. */
export const previewImport = defineQuery<ImportInput, TImportPreview>(
  "import.preview",
  "admin.administrator",
  async ({ ctx, input }) => {
    if (input.project) await resolveProject(ctx, input.project);
    const members = await listMembers(ctx.db, { orgId: ctx.org.id });
    return previewOf(input.format, await withMemberWarnings(members, planOrInvalid(input)));
  },
);

/**
 * Queues an import: the file is read once here (an unreadable one is refused now, not later),
 * kept with the import, and written by the worker's durable job once this commits.
 */
export const startImport = defineMutation<ImportInput, TImport>(
  "import.start",
  "admin.administrator",
  async ({ ctx, input }) => {
    const project = input.project ? await resolveProject(ctx, input.project) : null;
    const members = await listMembers(ctx.tx, { orgId: ctx.org.id });
    const plan = await withMemberWarnings(members, planOrInvalid(input));
    const row = await insertImport(ctx.tx, {
      id: newId("imp"),
      orgId: ctx.org.id,
      projectId: project?.id ?? null,
      format: input.format,
      filename: input.filename,
      source: input.text,
      mapping: input.mapping ?? null,
      total: plan.tasks.length,
      warnings: plan.warnings.slice(0, 100),
      createdBy: actorId(ctx),
    });
    const dto = toImportDto(row);
    await recordEvent(ctx, { type: "UPDATE_IMPORT", payload: { import: dto } });
    const enqueue = ctx.services.enqueue.importData;
    ctx.afterCommit(() => {
      enqueue({ orgId: ctx.org.id, importId: row.id }).catch(() => {});
    });
    return dto;
  },
);

export const listImportJobs = defineQuery<undefined, TImport[]>("import.list", "admin.administrator", async ({ ctx }) =>
  (await listImports(ctx.db, { orgId: ctx.org.id })).map(toImportDto),
);

export const getImportJob = defineQuery<{ importId: string }, TImport>(
  "import.get",
  "admin.administrator",
  async ({ ctx, input }) => {
    const row = await getImport(ctx.db, { orgId: ctx.org.id, importId: input.importId });
    if (!row) throw notFound("Import");
    return toImportDto(row);
  },
);
