import type { TTask, TUpdateTaskInput } from "@tandem/contracts";
import { lastRankInStatus, lockTask, replaceTaskLabels, updateTaskRow } from "@tandem/database";
import { rankBetween } from "@tandem/util";
import { actorId, defineMutation } from "../context.ts";
import { conflict, notFound } from "../errors.ts";
import { toTaskDto } from "../mappers.ts";
import { checkTaskReferences, diffTask, parseTaskRef, recordTaskChange, reloadTask } from "./shared.ts";

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
    const statusChanged = fields.status !== undefined && fields.status !== before.status;
    const rank =
      statusChanged && fields.status
        ? rankBetween(await lastRankInStatus(ctx.tx, { orgId, status: fields.status }), null)
        : undefined;
    await updateTaskRow(ctx.tx, {
      orgId,
      id: before.id,
      values: { ...fields, ...(rank ? { rank } : {}), updatedBy: actorId(ctx) },
    });
    if (labelIds) await replaceTaskLabels(ctx.tx, { taskId: before.id, labelIds: [...new Set(labelIds)] });
    const after = await reloadTask(ctx, before.id);
    return recordTaskChange(ctx, {
      type: "UPDATE_TASK",
      action: "updated",
      task: after,
      changes: diffTask(before, after),
      wasPublic: before.visibility === "public",
    });
  },
);
