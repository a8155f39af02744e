import type { TCreateTaskInput, TTask } from "@tandem/contracts";
import { ZCreateTaskInput } from "@tandem/contracts";
import { insertTaskWithEvent, lastRankInStatus } from "@tandem/database";
import { newId, rankAfter } from "@tandem/util";
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
    // Read outside the counter lock; the random tail keeps concurrent appends distinct.
    const rank = rankAfter(await lastRankInStatus(ctx.tx, { orgId, status: input.status }));
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
      rank,
      version: 1,
      syncedAt: {},
      createdBy: userId,
      updatedBy: userId,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    const dto = toTaskDto(row, ctx.org.prefix);
    const { number } = await insertTaskWithEvent(ctx.tx, {
      task: row,
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
    return toTaskDto({ ...row, number }, ctx.org.prefix);
  },
);
