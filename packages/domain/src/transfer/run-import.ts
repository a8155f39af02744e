import { STATUS_CATEGORY, type TImportFormat } from "@tandem/contracts";
import {
  countTasks,
  ensureTag,
  getOrg,
  getOrgAccess,
  type ImportRow,
  importedItems,
  insertImportedActivity,
  insertImportedComments,
  insertImportedTasks,
  insertImportItems,
  lastRankInState,
  listMembers,
  lockImport,
  type StateRow,
  updateImport,
} from "@tandem/database";
import { newId, rankBetween } from "@tandem/util";
import { type BaseCtx, type Ctx, type TxCtx, withTransaction } from "../context.ts";
import { toCommentDto, toTagDto, toTaskDto } from "../mappers.ts";
import { pickState, resolveProject } from "../projects/workflow.ts";
import { recordEvent } from "../record-event.ts";
import { type Lookup, numbersFor, targetOf, targetsOf } from "./import-targets.ts";
import { parseImportFile, toImportDto } from "./imports.ts";
import { ImportFileError, type ImportPlan, type PlannedTask } from "./plan.ts";
import { writeColumns, writeProjects } from "./restore-projects.ts";
import { writeRelations } from "./write-relations.ts";

/** Tasks written per transaction: a crash redoes at most one batch, which never committed. */
export const IMPORT_BATCH = 200;

/**
 * Runs an import to its end (the worker's job). Resumable: what each committed batch wrote is
 * recorded with it (`data_import_item`), so a job restarted after a crash continues where the
 * last commit left off and never writes a task twice. Acts as the member who uploaded the file,
 * with the permissions they hold now: one who lost `admin.administrator` meanwhile stops it.
 */
export async function runImport({
  ctx: base,
  input,
}: {
  ctx: BaseCtx;
  /** `budgetMs`: stop after the batch that passes it and answer "more" (the job re-queues itself). */
  input: { orgId: string; importId: string; budgetMs?: number };
}): Promise<"done" | "more"> {
  const deadline = Date.now() + (input.budgetMs ?? Number.POSITIVE_INFINITY);
  const org = await getOrg(base.db, { orgId: input.orgId });
  if (!org) return "done";
  const started = await base.db.transaction((tx) => lockImport(tx, input));
  if (!started || started.status === "completed" || started.status === "failed") return "done";
  const access = started.createdBy ? await getOrgAccess(base.db, { orgId: org.id, userId: started.createdBy }) : null;
  if (!started.createdBy || !access?.permissions.has("admin.administrator")) {
    await finish({ ...base, org, actor: { type: "system", userId: null } }, started.id, {
      status: "failed",
      error: "The member who started the import no longer administers the org",
    });
    return "done";
  }
  const ctx: Ctx = {
    ...base,
    org,
    actor: { type: "user", userId: started.createdBy, permissions: access.permissions },
  };
  let plan: ImportPlan;
  try {
    plan = parseImportFile(started.format as TImportFormat, started.source ?? "", started.mapping);
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    await finish(ctx, started.id, { status: "failed", error: error.message });
    return "done";
  }
  const keepNumbers = await decideNumbering(ctx, started, plan);
  const members = await listMembers(ctx.db, { orgId: org.id });
  const written = await importedItems(ctx.db, { importId: started.id });
  await writeProjects(ctx, started.id, plan, written, keepNumbers);
  const fallbackId = (await resolveProject(ctx, started.projectId)).id;
  await writeColumns(ctx, started.id, plan, written, fallbackId);
  const lookup: Lookup = {
    targets: await targetsOf(ctx),
    fallbackId,
    written,
    userByEmail: new Map(members.map((member) => [member.email.toLowerCase(), member.userId])),
    keepNumbers,
    lastRank: new Map(),
  };
  await writeTags(ctx, started.id, plan, lookup);
  const pending = plan.tasks.filter((task) => !lookup.written.has(`task:${task.key}`));
  for (let at = 0; at < pending.length; at += IMPORT_BATCH) {
    if (Date.now() > deadline) return "more";
    await writeTasks(ctx, started.id, pending.slice(at, at + IMPORT_BATCH), lookup);
  }
  await writeRelations(ctx, plan, lookup.written, started.createdBy);
  await finish(ctx, started.id, { status: "completed", error: null });
  return "done";
}

/** Keeps the file's numbers when the org had no task when the import first ran (a restore). */
async function decideNumbering(ctx: Ctx, row: ImportRow, plan: ImportPlan): Promise<boolean> {
  if (row.keepNumbers) return row.keepNumbers === "yes";
  const keep =
    plan.tasks.some((task) => task.number !== null) && (await countTasks(ctx.db, { orgId: ctx.org.id })) === 0;
  await withTransaction(ctx, async (tx) => {
    const updated = await updateImport(tx.tx, {
      orgId: ctx.org.id,
      importId: row.id,
      values: { status: "running", keepNumbers: keep ? "yes" : "no", total: plan.tasks.length },
    });
    await recordEvent(tx, { type: "UPDATE_IMPORT", payload: { import: toImportDto(updated) } });
  });
  return keep;
}

async function writeTags(ctx: Ctx, importId: string, plan: ImportPlan, lookup: Lookup) {
  const kinds = [
    ["label", plan.labels],
    ["category", plan.categories],
  ] as const;
  await withTransaction(ctx, async (tx) => {
    const items: { sourceKey: string; targetId: string }[] = [];
    for (const [kind, tags] of kinds)
      for (const tag of tags) {
        const sourceKey = `${kind}:${tag.key}`;
        if (lookup.written.has(sourceKey)) continue;
        const { row, created } = await ensureTag(tx.tx, {
          kind,
          values: { id: newId(kind === "label" ? "lbl" : "cat"), orgId: ctx.org.id, name: tag.name, color: tag.color },
        });
        if (created)
          await recordEvent(
            tx,
            kind === "label"
              ? { type: "CREATE_LABEL", payload: { label: toTagDto(row) } }
              : { type: "CREATE_CATEGORY", payload: { category: toTagDto(row) } },
          );
        items.push({ sourceKey, targetId: row.id });
        lookup.written.set(sourceKey, row.id);
      }
    await insertImportItems(tx.tx, { importId, items });
  });
}

async function writeTasks(ctx: Ctx, importId: string, batch: PlannedTask[], lookup: Lookup) {
  const written = new Map<string, string>();
  await withTransaction(ctx, async (tx) => {
    const numbers = await numbersFor(tx, batch, lookup);
    const rows: Awaited<ReturnType<typeof taskRow>>[] = [];
    for (const [i, planned] of batch.entries()) {
      const id = newId("task");
      written.set(`task:${planned.key}`, id);
      rows.push(await taskRow(tx, planned, id, numbers[i] ?? 0, lookup, written));
    }
    await insertImportedTasks(tx.tx, { orgId: ctx.org.id, rows });
    const comments = [];
    const activity = [];
    for (const [i, planned] of batch.entries()) {
      const row = rows[i];
      if (!row) continue;
      await recordEvent(tx, {
        type: "CREATE_TASK",
        payload: { task: toTaskDto({ ...row, ...taskDefaults }, targetOf(planned, lookup).project.key) },
      });
      for (const comment of planned.comments) {
        const authorId = comment.authorEmail
          ? (lookup.userByEmail.get(comment.authorEmail.toLowerCase()) ?? null)
          : null;
        const createdAt = comment.createdAt ? new Date(comment.createdAt) : new Date();
        const external = authorId
          ? null
          : (comment.externalAuthor ?? (comment.authorName ? { login: comment.authorName, avatarUrl: null } : null));
        comments.push({
          id: newId("cmt"),
          orgId: ctx.org.id,
          taskId: row.id,
          authorId,
          externalAuthor: external,
          body: comment.body,
          createdAt,
          updatedAt: comment.editedAt ? new Date(comment.editedAt) : createdAt,
          editedAt: comment.editedAt ? new Date(comment.editedAt) : null,
        });
      }
      const history = planned.activity ?? [
        {
          actorEmail: null,
          actorType: "user" as const,
          actorKey: null,
          action: "imported",
          changes: [],
          createdAt: row.createdAt.toISOString(),
        },
      ];
      for (const entry of history)
        activity.push({
          id: newId("act"),
          orgId: ctx.org.id,
          taskId: row.id,
          actorId: entry.actorEmail
            ? (lookup.userByEmail.get(entry.actorEmail.toLowerCase()) ?? null)
            : planned.activity
              ? null
              : ctx.actor.userId,
          actorType: entry.actorType,
          actorKey: entry.actorKey,
          action: entry.action,
          changes: entry.changes,
          createdAt: new Date(entry.createdAt),
        });
    }
    await insertImportedComments(tx.tx, comments);
    const keyOf = new Map(batch.map((planned, i) => [rows[i]?.id, targetOf(planned, lookup).project.key]));
    for (const comment of comments) {
      const number = rows.find((row) => row.id === comment.taskId)?.number ?? 0;
      await recordEvent(tx, {
        type: "CREATE_COMMENT",
        payload: {
          comment: toCommentDto({ ...comment, deletedAt: null, githubCommentId: null }),
          taskNumber: number,
          taskKey: `${keyOf.get(comment.taskId)}-${number}`,
        },
      });
    }
    await insertImportedActivity(tx.tx, activity);
    await insertImportItems(tx.tx, {
      importId,
      items: [...written].map(([sourceKey, targetId]) => ({ sourceKey, targetId })),
    });
    const done = tasksWritten(lookup) + written.size;
    const updated = await updateImport(tx.tx, { orgId: ctx.org.id, importId, values: { done } });
    await recordEvent(tx, { type: "UPDATE_IMPORT", payload: { import: toImportDto(updated) } });
  });
  for (const [key, id] of written) lookup.written.set(key, id);
}

const tasksWritten = (lookup: Lookup) => [...lookup.written.keys()].filter((key) => key.startsWith("task:")).length;

/** The columns an imported row leaves at their defaults, for its event's task. */
const taskDefaults = { reviewState: null, version: 1, syncedAt: {}, deletedAt: null, updatedBy: null };

async function taskRow(
  tx: TxCtx,
  planned: PlannedTask,
  id: string,
  number: number,
  lookup: Lookup,
  batch: Map<string, string>,
) {
  const target = (key: string) => batch.get(key) ?? lookup.written.get(key) ?? null;
  const { project, states } = targetOf(planned, lookup);
  const fits = (state: StateRow) => state.category === STATUS_CATEGORY[planned.status];
  const restored = planned.stateRef ? lookup.written.get(`state:${planned.stateRef}`) : undefined;
  const named = planned.stateName?.toLowerCase();
  const chosen =
    states.find((s) => s.id === restored && fits(s)) ??
    (named ? states.find((s) => s.name.toLowerCase() === named && fits(s)) : undefined);
  const { stateId, status } = pickState(states, { stateId: chosen?.id, status: planned.status });
  let rank = lookup.keepNumbers ? planned.rank : null;
  if (!rank) {
    if (!lookup.lastRank.has(stateId))
      lookup.lastRank.set(stateId, await lastRankInState(tx.tx, { orgId: tx.org.id, projectId: project.id, stateId }));
    rank = rankBetween(lookup.lastRank.get(stateId) ?? null, null);
    lookup.lastRank.set(stateId, rank);
  }
  const now = new Date();
  const createdAt = planned.createdAt ? new Date(planned.createdAt) : now;
  const assigneeIds = planned.assigneeEmails.flatMap((email) => lookup.userByEmail.get(email.toLowerCase()) ?? []);
  return {
    id,
    orgId: tx.org.id,
    projectId: project.id,
    number,
    title: planned.title,
    description: planned.description,
    stateId,
    status,
    startDate: planned.startDate ?? null,
    dueDate: planned.dueDate ?? null,
    estimate: planned.estimate ?? null,
    priority: planned.priority,
    visibility: planned.visibility,
    categoryId: planned.categoryKey ? target(`category:${planned.categoryKey}`) : null,
    parentId: planned.parentKey ? target(`task:${planned.parentKey}`) : null,
    labelIds: [...new Set(planned.labelKeys.flatMap((key) => target(`label:${key}`) ?? []))].sort(),
    assigneeIds: [...new Set(assigneeIds)].sort(),
    externalAssignees: planned.externalAssignees,
    rank,
    // A restored task keeps its creator (when a member here); a new one is the importer's.
    createdBy: planned.createdByEmail
      ? (lookup.userByEmail.get(planned.createdByEmail.toLowerCase()) ?? null)
      : planned.activity
        ? null
        : tx.actor.userId,
    createdAt,
    updatedAt: planned.updatedAt ? new Date(planned.updatedAt) : createdAt,
  };
}

async function finish(ctx: Ctx, importId: string, outcome: { status: "completed" | "failed"; error: string | null }) {
  await withTransaction(ctx, async (tx) => {
    const updated = await updateImport(tx.tx, {
      orgId: ctx.org.id,
      importId,
      values: { ...outcome, finishedAt: new Date(), source: null },
    });
    await recordEvent(tx, { type: "UPDATE_IMPORT", payload: { import: toImportDto(updated) } });
  });
}
