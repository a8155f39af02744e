import type { TTask, TUpdateTaskInput } from "@tandem/contracts";
import { lastRankInState, lockTask, updateTaskRow } from "@tandem/database";
import { rankAfter } from "@tandem/util";
import { actorId, defineMutation } from "../context.ts";
import { conflict, notFound } from "../errors.ts";
import { pickState, statesOf, taskDto } from "../projects/workflow.ts";
import { checkTaskReferences, diffTask, parseTaskRef, recordTaskChange, unique } from "./shared.ts";

/**
 * Optimistic concurrency: the caller sends the version it edited. A stale version is a
 * conflict carrying the current task, never a silent overwrite.
 */
export const updateTask = defineMutation<{ taskId: string; patch: TUpdateTaskInput }, TTask>(
  "task.update",
  "tasks.edit",
  async ({ ctx, input: { taskId, patch } }) => {
    const orgId = ctx.org.id;
    const before = await lockTask(ctx.tx, { orgId, ref: parseTaskRef(taskId) });
    if (!before) throw notFound("Task");
    if (before.version !== patch.version) {
      throw conflict("The task was changed by someone else", await taskDto(ctx, before));
    }
    await checkTaskReferences(ctx, { ...patch, taskId: before.id });
    const { version: _version, labelIds, stateId: wantedState, status: wantedStatus, ...fields } = patch;
    // `stateId` or `status` (the first state of that category in the task's project).
    const target =
      wantedState || wantedStatus
        ? pickState(
            await statesOf(ctx, before.projectId),
            { stateId: wantedState, status: wantedStatus },
            before.stateId,
          )
        : null;
    const moved = target && target.stateId !== before.stateId;
    // A card changing column through an edit lands at the bottom of its new column.
    const rank =
      target && moved
        ? rankAfter(await lastRankInState(ctx.tx, { orgId, projectId: before.projectId, stateId: target.stateId }))
        : undefined;
    const after = await updateTaskRow(ctx.tx, {
      orgId,
      id: before.id,
      values: {
        ...fields,
        ...(labelIds ? { labelIds: unique(labelIds) } : {}),
        ...(target && moved ? { stateId: target.stateId, status: target.status, rank } : {}),
        updatedBy: actorId(ctx),
      },
    });
    return recordTaskChange(ctx, {
      type: "UPDATE_TASK",
      action: "updated",
      task: after,
      changes: diffTask(before, after),
      wasPublic: before.visibility === "public",
    });
  },
);
