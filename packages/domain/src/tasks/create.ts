import type { TCreateTaskInput, TTask } from "@tandem/contracts";
import { ZCreateTaskInput } from "@tandem/contracts";
import { insertTaskWithEvent } from "@tandem/database";
import { newId, rankTail } from "@tandem/util";
import { actorId, actorKey, defineMutation } from "../context.ts";
import { toTaskDto } from "../mappers.ts";
import { toNewEvent } from "../record-event.ts";
import { checkTaskReferences, unique } from "./shared.ts";

export const createTask = defineMutation<TCreateTaskInput, TTask>(
  "task.create",
  "tasks.create",
  async ({ ctx, input: raw }) => {
    const input = ZCreateTaskInput.parse(raw);
    const orgId = ctx.org.id;
    await checkTaskReferences(ctx, input);
    const userId = actorId(ctx);
    const now = new Date();
    const row = {
      id: newId("task"),
      orgId,
      number: 0,
      title: input.title,
      description: input.description,
      status: input.status,
      priority: input.priority,
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
    const dto = toTaskDto(row, ctx.org.prefix);
    const { number, rank } = await insertTaskWithEvent(ctx.tx, {
      task: row,
      rankTail: rankTail(),
      activity: {
        id: newId("act"),
        actorId: userId,
        actorType: ctx.actor.type,
        actorKey: actorKey(ctx),
        action: "created",
        changes: [],
      },
      event: toNewEvent(ctx, { type: "CREATE_TASK", payload: { task: dto } }),
      prefix: ctx.org.prefix,
    });
    return toTaskDto({ ...row, number, rank }, ctx.org.prefix);
  },
);
