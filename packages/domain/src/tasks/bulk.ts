import {
  CATEGORY_STATUS,
  STATUS_CATEGORY,
  type TBulkTasksInput,
  type TBulkTasksResult,
  type TTaskStatus,
  ZBulkTasksInput,
} from "@tandem/contracts";
import {
  allocateProjectNumbers,
  getTask,
  lastRankInState,
  lockTasksByIds,
  type ProjectRow,
  type StateRow,
  type TaskInsert,
  type TaskRow,
  updateTaskRow,
} from "@tandem/database";
import { rankAfter } from "@tandem/util";
import { actorId, assertPermission, defineMutation, type TxCtx } from "../context.ts";
import { invalid, notFound } from "../errors.ts";
import { firstOfCategory, pickState, resolveProject, statesOf } from "../projects/workflow.ts";
import { checkTaskReferences, diffTask, parseTaskRef, recordTaskChange, unique } from "./shared.ts";

/** The ids the caller named (ids or keys); any one missing or of another org: NOT_FOUND, nothing changed. */
async function resolveIds(ctx: TxCtx, raws: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const raw of new Set(raws)) {
    const ref = parseTaskRef(raw);
    if ("id" in ref) {
      ids.push(ref.id);
      continue;
    }
    const row = await getTask(ctx.tx, { orgId: ctx.org.id, ref });
    if (!row) throw notFound("Task");
    ids.push(row.id);
  }
  return [...new Set(ids)];
}

/** Where a task's column goes: the patch's state or status, or (moving project) the same category. */
function stateFor(
  states: StateRow[],
  task: TaskRow,
  patch: { stateId?: string | undefined; status?: TTaskStatus | undefined },
  movingProject: boolean,
): StateRow {
  if (patch.stateId || patch.status) return pickState(states, patch, movingProject ? undefined : task.stateId).state;
  if (!movingProject) {
    const current = states.find((s) => s.id === task.stateId);
    if (current) return current;
  }
  const same = firstOfCategory(states, STATUS_CATEGORY[task.status]) ?? firstOfCategory(states, "unstarted");
  if (!same) throw invalid("projectId", "The target project has no state for these tasks");
  return same;
}

/**
 * One patch to up to 500 tasks (SPEC §13), all or nothing: every task is locked, checked and
 * versioned (+1) and gets its own UPDATE_TASK. Moving to another project takes a new number
 * there and keeps each task's category (its first state of it) unless the patch names one.
 */
export const bulkUpdateTasks = defineMutation<TBulkTasksInput, TBulkTasksResult>(
  "task.bulk",
  "tasks.edit",
  async ({ ctx, input: raw }) => {
    const { taskIds, patch } = ZBulkTasksInput.parse(raw);
    if (patch.assigneeIds !== undefined) assertPermission(ctx, "tasks.assign");
    const orgId = ctx.org.id;
    const ids = await resolveIds(ctx, taskIds);
    const rows = await lockTasksByIds(ctx.tx, { orgId, ids });
    if (rows.length !== ids.length) throw notFound("Task");
    await checkTaskReferences(ctx, { labelIds: patch.labelIds, assigneeIds: patch.assigneeIds });
    const target: ProjectRow | null = patch.projectId ? await resolveProject(ctx, patch.projectId) : null;
    if (target?.archived) throw invalid("projectId", "The project is archived");
    // Numbers in the target project for the tasks that move there, taken at once (project lock).
    const movers = target ? rows.filter((row) => row.projectId !== target.id) : [];
    let nextNumber =
      target && movers.length > 0
        ? await allocateProjectNumbers(ctx.tx, { orgId, projectId: target.id, count: movers.length })
        : 0;
    const lastRanks = new Map<string, string | null>();
    const byId = new Map(rows.map((row) => [row.id, row]));
    const out = [];
    for (const id of ids) {
      const before = byId.get(id);
      if (!before) throw notFound("Task");
      const moving = target !== null && target.id !== before.projectId;
      const projectId = target?.id ?? before.projectId;
      const state = stateFor(await statesOf(ctx, projectId), before, patch, moving);
      const values: Partial<TaskInsert> = { updatedBy: actorId(ctx) };
      if (patch.priority) values.priority = patch.priority;
      if (patch.labelIds) values.labelIds = unique(patch.labelIds);
      if (patch.assigneeIds) values.assigneeIds = unique(patch.assigneeIds);
      if (patch.dueDate !== undefined) values.dueDate = patch.dueDate;
      if (moving) {
        values.projectId = projectId;
        values.number = nextNumber++;
      }
      if (moving || state.id !== before.stateId) {
        // Appended to the bottom of its new column, in the order asked.
        const column = `${projectId}:${state.id}`;
        if (!lastRanks.has(column))
          lastRanks.set(column, await lastRankInState(ctx.tx, { orgId, projectId, stateId: state.id }));
        const rank = rankAfter(lastRanks.get(column) ?? null);
        lastRanks.set(column, rank);
        Object.assign(values, { stateId: state.id, status: CATEGORY_STATUS[state.category], rank });
      }
      const after = await updateTaskRow(ctx.tx, { orgId, id: before.id, values });
      out.push(
        await recordTaskChange(ctx, {
          type: "UPDATE_TASK",
          action: "updated",
          task: after,
          changes: diffTask(before, after),
          wasPublic: before.visibility === "public",
        }),
      );
    }
    return { tasks: out };
  },
);
