import type { TTask } from "@tandem/contracts";
import { lockTask, updateTaskRow } from "@tandem/database";
import { actorId, defineMutation } from "../context.ts";
import { notFound } from "../errors.ts";
import { removeTaskRelations } from "../relations/remove.ts";
import { parseTaskRef, recordTaskChange } from "./shared.ts";

/** Soft delete: the task leaves the board and the API, its history stays. */
export const deleteTask = defineMutation<{ taskId: string }, TTask>(
  "task.delete",
  "tasks.delete",
  async ({ ctx, input }) => {
    const before = await lockTask(ctx.tx, { orgId: ctx.org.id, ref: parseTaskRef(input.taskId) });
    if (!before) throw notFound("Task");
    await removeTaskRelations(ctx, before.id);
    const after = await updateTaskRow(ctx.tx, {
      orgId: ctx.org.id,
      id: before.id,
      values: { deletedAt: new Date(), updatedBy: actorId(ctx) },
    });
    return recordTaskChange(ctx, {
      type: "DELETE_TASK",
      action: "deleted",
      task: after,
      changes: [],
      wasPublic: before.visibility === "public",
    });
  },
);
