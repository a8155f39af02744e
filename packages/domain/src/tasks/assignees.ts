import type { TTask } from "@tandem/contracts";
import { lockTask, replaceTaskAssignees, updateTaskRow } from "@tandem/database";
import { actorId, defineMutation } from "../context.ts";
import { notFound } from "../errors.ts";
import { checkTaskReferences, diffTask, parseTaskRef, recordTaskChange, reloadTask } from "./shared.ts";

export const setTaskAssignees = defineMutation<{ taskId: string; userIds: string[] }, TTask>(
  "task.assign",
  "tasks.assign",
  async ({ ctx, input }) => {
    const before = await lockTask(ctx.tx, { orgId: ctx.org.id, ref: parseTaskRef(ctx, input.taskId) });
    if (!before) throw notFound("Task");
    const userIds = [...new Set(input.userIds)];
    await checkTaskReferences(ctx, { assigneeIds: userIds });
    await replaceTaskAssignees(ctx.tx, { taskId: before.id, userIds });
    await updateTaskRow(ctx.tx, { orgId: ctx.org.id, id: before.id, values: { updatedBy: actorId(ctx) } });
    const after = await reloadTask(ctx, before.id);
    return recordTaskChange(ctx, {
      type: "UPDATE_TASK",
      action: "assigned",
      task: after,
      changes: diffTask(before, after),
      wasPublic: before.visibility === "public",
    });
  },
);
