import { EXPORT_FORMAT_VERSION, type TExportTask } from "@tandem/contracts";
import {
  exportActivityPage,
  exportAttachmentPage,
  exportCommentPage,
  exportRelationPage,
  exportTaskPage,
  listMembers,
  listProjects,
  listStates,
  listTags,
  projectKeys,
  type TaskExportCursor,
  type TaskRow,
} from "@tandem/database";
import { formatTaskKey } from "@tandem/util";
import Papa from "papaparse";
import { assertPermission, type Ctx } from "../context.ts";
import { resolveProject } from "../projects/workflow.ts";

const PAGE = 500;
/** Signed attachment links in an export stay valid this long. */
const LINK_SECONDS = 24 * 3600;

const exportTask = (row: TaskRow, keys: Map<string, string>): TExportTask => ({
  projectId: row.projectId,
  stateId: row.stateId,
  startDate: row.startDate,
  dueDate: row.dueDate,
  estimate: row.estimate,
  id: row.id,
  number: row.number,
  key: formatTaskKey(keys.get(row.projectId) ?? "", row.number),
  title: row.title,
  description: row.description,
  status: row.status,
  priority: row.priority,
  visibility: row.visibility,
  categoryId: row.categoryId,
  parentId: row.parentId,
  labelIds: row.labelIds,
  assigneeIds: row.assigneeIds,
  externalAssignees: row.externalAssignees,
  rank: row.rank,
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/** Every page of a keyset-paged read, one page at a time. */
async function* pages<R>(read: (after: string) => Promise<R[]>, keyOf: (row: R) => string): AsyncGenerator<R[]> {
  let after = "";
  for (;;) {
    const rows = await read(after);
    if (rows.length > 0) yield rows;
    const last = rows.at(-1);
    if (rows.length < PAGE || !last) return;
    after = keyOf(last);
  }
}

/** The org's live tasks (or one project's), a page at a time, by project and number. */
async function* taskPages(ctx: Ctx, projectId?: string): AsyncGenerator<TaskRow[]> {
  let after: TaskExportCursor | null = null;
  for (;;) {
    const rows = await exportTaskPage(ctx.db, { orgId: ctx.org.id, after, limit: PAGE, projectId });
    if (rows.length > 0) yield rows;
    const last = rows.at(-1);
    if (rows.length < PAGE || !last) return;
    after = { projectId: last.projectId, number: last.number };
  }
}

/** A JSON array written a page at a time: `"name":[…]`. */
async function* jsonArray<R>(name: string, rows: AsyncIterable<R[]>): AsyncGenerator<string> {
  yield `,${JSON.stringify(name)}:[`;
  let first = true;
  for await (const page of rows) {
    yield (first ? "" : ",") + page.map((row) => JSON.stringify(row)).join(",");
    first = false;
  }
  yield "]";
}

/**
 * The whole org as a Tandem export (SPEC §15), as text chunks: each table is read in keyset
 * pages and written as it is read, so memory stays flat whatever the org's size. The pages are
 * separate reads, not one snapshot: a change made while the export runs may or may not be in it.
 */
export function exportOrgJson({ ctx }: { ctx: Ctx }): AsyncGenerator<string> {
  assertPermission(ctx, "admin.administrator");
  return (async function* () {
    const orgId = ctx.org.id;
    const [members, labels, categories, projects, states] = await Promise.all([
      listMembers(ctx.db, { orgId }),
      listTags(ctx.db, { kind: "label", orgId }),
      listTags(ctx.db, { kind: "category", orgId }),
      listProjects(ctx.db, { orgId }),
      listStates(ctx.db, { orgId }),
    ]);
    const tag = (row: { id: string; name: string; color: string }) => ({
      id: row.id,
      name: row.name,
      color: row.color,
    });
    yield JSON.stringify({
      format: "tandem",
      version: EXPORT_FORMAT_VERSION,
      exportedAt: new Date().toISOString(),
      org: { name: ctx.org.name, slug: ctx.org.slug, prefix: ctx.org.prefix },
      members: members.map((member) => ({ id: member.userId, email: member.email, name: member.name })),
      projects: projects.map((project) => ({
        id: project.id,
        key: project.key,
        name: project.name,
        description: project.description,
        color: project.color,
        states: states
          .filter((state) => state.projectId === project.id)
          .map((state) => ({ id: state.id, name: state.name, color: state.color, category: state.category })),
      })),
      labels: labels.map(tag),
      categories: categories.map(tag),
    }).slice(0, -1);
    const keys = await projectKeys(ctx.db, { orgId });
    yield* jsonArray(
      "tasks",
      map(taskPages(ctx), (row) => exportTask(row, keys)),
    );
    const page = { orgId, limit: PAGE };
    yield* jsonArray(
      "comments",
      map(
        pages(
          (afterId) => exportCommentPage(ctx.db, { ...page, afterId }),
          (row) => row.id,
        ),
        (row) => ({
          id: row.id,
          taskId: row.taskId,
          authorId: row.authorId,
          externalAuthor: row.externalAuthor ?? null,
          body: row.body,
          createdAt: row.createdAt.toISOString(),
          editedAt: row.editedAt?.toISOString() ?? null,
        }),
      ),
    );
    yield* jsonArray(
      "activity",
      map(
        pages(
          (afterId) => exportActivityPage(ctx.db, { ...page, afterId }),
          (row) => row.id,
        ),
        (row) => ({
          id: row.id,
          taskId: row.taskId,
          actorId: row.actorId,
          actorType: row.actorType,
          actorKey: row.actorKey ?? null,
          action: row.action,
          changes: row.changes,
          createdAt: row.createdAt.toISOString(),
        }),
      ),
    );
    yield* jsonArray(
      "relations",
      map(
        pages(
          (afterId) => exportRelationPage(ctx.db, { ...page, afterId }),
          (row) => row.id,
        ),
        (row) => ({
          id: row.id,
          type: row.type,
          fromTaskId: row.fromTaskId,
          toTaskId: row.toTaskId,
          createdAt: row.createdAt.toISOString(),
        }),
      ),
    );
    yield* jsonArray(
      "attachments",
      mapAsync(
        pages(
          (afterId) => exportAttachmentPage(ctx.db, { ...page, afterId }),
          (row) => row.id,
        ),
        async (row) => ({
          id: row.id,
          taskId: row.taskId,
          filename: row.filename,
          contentType: row.contentType,
          size: row.size,
          url: await ctx.services.store.signedUrl(row.storageKey, LINK_SECONDS),
        }),
      ),
    );
    yield "}";
  })();
}

async function* map<R, O>(source: AsyncIterable<R[]>, fn: (row: R) => O): AsyncGenerator<O[]> {
  for await (const rows of source) yield rows.map(fn);
}
async function* mapAsync<R, O>(source: AsyncIterable<R[]>, fn: (row: R) => Promise<O>): AsyncGenerator<O[]> {
  for await (const rows of source) yield await Promise.all(rows.map(fn));
}

/** The CSV export's columns; a CSV import maps them back by the same names. */
export const CSV_COLUMNS = [
  "Key",
  "Title",
  "Status",
  "State",
  "Priority",
  "Labels",
  "Assignees",
  "Start date",
  "Due date",
  "Estimate",
  "Description",
  "Created",
  "Updated",
];

/**
 * The org's tasks (or one project's: `project` is its id or key) as CSV, a page at a time:
 * states and labels by name, assignees by e-mail. Another org's project is NOT_FOUND.
 */
export async function exportTasksCsv({
  ctx,
  project,
}: {
  ctx: Ctx;
  project?: string | undefined;
}): Promise<AsyncGenerator<string>> {
  assertPermission(ctx, "admin.administrator");
  // Resolved before the first byte: an unknown project is a 404, not a broken stream.
  const only = project ? await resolveProject(ctx, project) : undefined;
  return (async function* () {
    const orgId = ctx.org.id;
    const [members, labels, states] = await Promise.all([
      listMembers(ctx.db, { orgId }),
      listTags(ctx.db, { kind: "label", orgId }),
      listStates(ctx.db, { orgId }),
    ]);
    const emailOf = new Map(members.map((member) => [member.userId, member.email]));
    const labelOf = new Map(labels.map((label) => [label.id, label.name]));
    const stateOf = new Map(states.map((state) => [state.id, state.name]));
    yield `${Papa.unparse([CSV_COLUMNS])}\r\n`;
    const keys = await projectKeys(ctx.db, { orgId });
    for await (const rows of taskPages(ctx, only?.id)) {
      yield `${Papa.unparse(
        rows.map((row) => [
          formatTaskKey(keys.get(row.projectId) ?? "", row.number),
          row.title,
          row.status,
          stateOf.get(row.stateId) ?? "",
          row.priority,
          row.labelIds.flatMap((id) => labelOf.get(id) ?? []).join(", "),
          row.assigneeIds.flatMap((id) => emailOf.get(id) ?? []).join(", "),
          row.startDate ?? "",
          row.dueDate ?? "",
          row.estimate ?? "",
          row.description,
          row.createdAt.toISOString(),
          row.updatedAt.toISOString(),
        ]),
        { escapeFormulae: true },
      )}\r\n`;
    }
  })();
}
