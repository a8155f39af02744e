import type { TCreateTaskInput, TTask } from "@tandem/contracts";
import { ZCreateTaskInput } from "@tandem/contracts";
import { insertTaskWithEvent, type TaskRow } from "@tandem/database";
import { newId, rankTail } from "@tandem/util";
import { actorId, actorKey, defineMutation, type TxCtx } from "../context.ts";
import { conflict, invalid } from "../errors.ts";
import { toTaskDto } from "../mappers.ts";
import { pickState, resolveProject, statesOf } from "../projects/workflow.ts";
import { toNewEvent } from "../record-event.ts";
import { checkTaskReferences, unique } from "./shared.ts";

/** Postgres foreign_key_violation: the state was deleted between its lookup and the insert. */
function isForeignKeyViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23503") return true;
  }
  return false;
}

/**
 * Inserts a task row (number and rank taken by the insert, under its project's lock) with its
 * activity and CREATE_TASK event; answers the row as written. Shared by every creator.
 */
export async function insertTask(
  ctx: TxCtx,
  row: TaskRow,
  projectKey: string,
  activity: { action: string } = { action: "created" },
): Promise<TaskRow> {
  try {
    const { number, rank } = await insertTaskWithEvent(ctx.tx, {
      task: row,
      rankTail: rankTail(),
      activity: {
        id: newId("act"),
        actorId: actorId(ctx),
        actorType: ctx.actor.type,
        actorKey: actorKey(ctx),
        action: activity.action,
        changes: [],
      },
      event: toNewEvent(ctx, { type: "CREATE_TASK", payload: { task: toTaskDto(row, projectKey) } }),
      projectKey,
    });
    return { ...row, number, rank };
  } catch (error) {
    if (isForeignKeyViolation(error)) throw conflict("The project or its state changed meanwhile; try again");
    throw error;
  }
}

export const createTask = defineMutation<TCreateTaskInput, TTask>(
  "task.create",
  "tasks.create",
  async ({ ctx, input: raw }) => {
    const input = ZCreateTaskInput.parse(raw);
    const orgId = ctx.org.id;
    const project = await resolveProject(ctx, input.projectId);
    if (project.archived) throw invalid("projectId", "The project is archived");
    const { stateId, status } = pickState(await statesOf(ctx, project.id), input);
    await checkTaskReferences(ctx, input);
    const userId = actorId(ctx);
    const now = new Date();
    const row: TaskRow = {
      id: newId("task"),
      orgId,
      projectId: project.id,
      number: 0,
      title: input.title,
      description: input.description,
      stateId,
      status,
      priority: input.priority,
      startDate: input.startDate ?? null,
      dueDate: input.dueDate ?? null,
      estimate: input.estimate ?? null,
      categoryId: input.categoryId ?? null,
      parentId: input.parentId ?? null,
      visibility: input.visibility,
      labelIds: unique(input.labelIds),
      assigneeIds: unique(input.assigneeIds),
      externalAssignees: [],
      reviewState: null,
      // The number, key and rank are taken by the insert (and written into the event by it).
      rank: "",
      version: 1,
      syncedAt: {},
      createdBy: userId,
      updatedBy: userId,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    return toTaskDto(await insertTask(ctx, row, project.key), project.key);
  },
);
