import type { TTask } from "@tandem/contracts";
import { lockTask, updateTaskRow } from "@tandem/database";
import { actorId, defineMutation } from "../context.ts";
import { notFound } from "../errors.ts";
import { checkTaskReferences, diffTask, parseTaskRef, recordTaskChange, unique } from "./shared.ts";

export const setTaskAssignees = defineMutation<{ taskId: string; userIds: string[] }, TTask>(
  "task.assign",
  "tasks.assign",
  async ({ ctx, input }) => {
    const before = await lockTask(ctx.tx, { orgId: ctx.org.id, ref: parseTaskRef(input.taskId) });
    if (!before) throw notFound("Task");
    const assigneeIds = unique(input.userIds);
    await checkTaskReferences(ctx, { assigneeIds });
    const after = await updateTaskRow(ctx.tx, {
      orgId: ctx.org.id,
      id: before.id,
      values: { assigneeIds, updatedBy: actorId(ctx) },
    });
    return recordTaskChange(ctx, {
      type: "UPDATE_TASK",
      action: "assigned",
      task: after,
      changes: diffTask(before, after),
      wasPublic: before.visibility === "public",
    });
  },
);
