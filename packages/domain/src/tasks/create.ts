import type { TCreateTaskInput, TTask } from "@tandem/contracts";
import { ZCreateTaskInput } from "@tandem/contracts";
import {
  insertTask,
  lastRankInStatus,
  nextTaskNumber,
  replaceTaskAssignees,
  replaceTaskLabels,
} from "@tandem/database";
import { newId, rankBetween } from "@tandem/util";
import { actorId, defineMutation } from "../context.ts";
import { checkTaskReferences, recordTaskChange, reloadTask } from "./shared.ts";

export const createTask = defineMutation<TCreateTaskInput, TTask>(
  "task.create",
  "tasks.create",
  async ({ ctx, input: raw }) => {
    const input = ZCreateTaskInput.parse(raw);
    const orgId = ctx.org.id;
    await checkTaskReferences(ctx, input);
    // Allocating the number locks the org's counter row: concurrent creates queue here, so
    // numbers are consecutive and the "last rank" read below cannot race another create.
    const number = await nextTaskNumber(ctx.tx, { orgId });
    const rank = rankBetween(await lastRankInStatus(ctx.tx, { orgId, status: input.status }), null);
    const id = newId("task");
    const userId = actorId(ctx);
    await insertTask(ctx.tx, {
      id,
      orgId,
      number,
      title: input.title,
      description: input.description,
      status: input.status,
      priority: input.priority,
      categoryId: input.categoryId ?? null,
      parentId: input.parentId ?? null,
      visibility: input.visibility,
      rank,
      createdBy: userId,
      updatedBy: userId,
    });
    if (input.labelIds.length) await replaceTaskLabels(ctx.tx, { taskId: id, labelIds: [...new Set(input.labelIds)] });
    if (input.assigneeIds.length) {
      await replaceTaskAssignees(ctx.tx, { taskId: id, userIds: [...new Set(input.assigneeIds)] });
    }
    const task = await reloadTask(ctx, id);
    return recordTaskChange(ctx, { type: "CREATE_TASK", action: "created", task, changes: [], wasPublic: false });
  },
);
