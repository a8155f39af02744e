import type { TTask, TUpdateTaskInput } from "@tandem/contracts";
import { lastRankInStatus, lockTask, updateTaskRow } from "@tandem/database";
import { rankAfter } from "@tandem/util";
import { actorId, defineMutation } from "../context.ts";
import { conflict, notFound } from "../errors.ts";
import { toTaskDto } from "../mappers.ts";
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
    const before = await lockTask(ctx.tx, { orgId, ref: parseTaskRef(ctx, taskId) });
    if (!before) throw notFound("Task");
    if (before.version !== patch.version) {
      throw conflict("The task was changed by someone else", toTaskDto(before, ctx.org.prefix));
    }
    await checkTaskReferences(ctx, { ...patch, taskId: before.id });
    const { version: _version, labelIds, ...fields } = patch;
    // A card changing column through an edit lands at the bottom of its new column.
    const rank =
      fields.status && fields.status !== before.status
        ? rankAfter(await lastRankInStatus(ctx.tx, { orgId, status: fields.status }))
        : undefined;
    const after = await updateTaskRow(ctx.tx, {
      orgId,
      id: before.id,
      values: {
        ...fields,
        ...(labelIds ? { labelIds: unique(labelIds) } : {}),
        ...(rank ? { rank } : {}),
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
