import type { TActivityChange, TEventInput, TTask } from "@tandem/contracts";
import {
  ancestorIds,
  existingTagIds,
  filterMemberUserIds,
  getTask,
  recordTaskEvent,
  type TaskRef,
  type TaskRow,
} from "@tandem/database";
import { newId, parseTaskKey } from "@tandem/util";
import { actorId, actorKey, type Ctx, executor, type TxCtx } from "../context.ts";
import { invalid, notFound } from "../errors.ts";
import { taskDto } from "../projects/workflow.ts";
import { toNewEvent } from "../record-event.ts";
import { updatePayload } from "./update-payload.ts";

/** `:taskId` accepts the id (`task_…`) or the short key (`ENG-42`, resolved via the project's key). */
export function parseTaskRef(raw: string): TaskRef {
  const key = parseTaskKey(raw);
  return key ? { projectKey: key.prefix, number: key.number } : { id: raw };
}

export async function loadTask(ctx: Ctx | TxCtx, raw: string, options: { includeDeleted?: boolean } = {}) {
  const row = await getTask(executor(ctx), { orgId: ctx.org.id, ref: parseTaskRef(raw), ...options });
  if (!row) throw notFound("Task");
  return row;
}

export const unique = (ids: readonly string[]) => [...new Set(ids)].sort();

/** Rejects references to labels, categories, parents or users outside the org. */
export async function checkTaskReferences(
  ctx: TxCtx,
  refs: {
    taskId?: string;
    categoryId?: string | null;
    labelIds?: string[];
    parentId?: string | null;
    assigneeIds?: string[];
  },
): Promise<void> {
  const orgId = ctx.org.id;
  if (refs.categoryId) {
    const found = await existingTagIds(ctx.tx, { kind: "category", orgId, ids: [refs.categoryId] });
    if (found.length === 0) throw invalid("categoryId", "Unknown category");
  }
  if (refs.labelIds?.length) {
    const ids = unique(refs.labelIds);
    const found = await existingTagIds(ctx.tx, { kind: "label", orgId, ids });
    if (found.length !== ids.length) throw invalid("labelIds", "Unknown label");
  }
  if (refs.assigneeIds?.length) {
    const ids = unique(refs.assigneeIds);
    const found = await filterMemberUserIds(ctx.tx, { orgId, userIds: ids });
    if (found.length !== ids.length) throw invalid("assigneeIds", "Assignees must be members of the organization");
  }
  if (refs.parentId) {
    const parent = await getTask(ctx.tx, { orgId, ref: { id: refs.parentId } });
    if (!parent) throw invalid("parentId", "Unknown parent task");
    if (refs.taskId && (await ancestorIds(ctx.tx, { orgId, taskId: parent.id })).includes(refs.taskId)) {
      throw invalid("parentId", "A task cannot be its own ancestor");
    }
  }
}

const DIFF_FIELDS = [
  "title",
  "description",
  "status",
  "priority",
  "categoryId",
  "parentId",
  "visibility",
  "labelIds",
  "assigneeIds",
  "projectId",
  "stateId",
  "startDate",
  "dueDate",
  "estimate",
] as const;

export function diffTask(before: TaskRow, after: TaskRow): TActivityChange[] {
  const changes: TActivityChange[] = [];
  for (const field of DIFF_FIELDS) {
    const from = before[field];
    const to = after[field];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ field, from, to });
  }
  return changes;
}

/** The history row of a change to a task, by the acting user, the worker or the system. */
export function activityRow(ctx: TxCtx, taskId: string, action: string, changes: TActivityChange[] = []) {
  return {
    id: newId("act"),
    orgId: ctx.org.id,
    taskId,
    actorId: actorId(ctx),
    actorType: ctx.actor.type,
    actorKey: actorKey(ctx),
    action,
    changes,
  };
}

/**
 * Writes the activity row and the event-log row for a task change, last in the caller's
 * transaction. An event is public when the task is public now or was before, so the public
 * board also learns when a task leaves it.
 */
export async function recordTaskChange(
  ctx: TxCtx,
  params: {
    type: "UPDATE_TASK" | "DELETE_TASK";
    action: string;
    task: TaskRow;
    changes: TActivityChange[];
    wasPublic: boolean;
  },
): Promise<TTask> {
  const dto = await taskDto(ctx, params.task);
  const event: TEventInput =
    params.type === "UPDATE_TASK"
      ? { type: "UPDATE_TASK", payload: updatePayload(dto, params.changes) }
      : { type: "DELETE_TASK", payload: { task: dto } };
  await recordTaskEvent(ctx.tx, {
    orgId: ctx.org.id,
    activity: activityRow(ctx, params.task.id, params.action, params.changes),
    event: toNewEvent(ctx, event, params.wasPublic),
  });
  return dto;
}
