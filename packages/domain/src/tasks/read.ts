import {
  PAGE_MAX_BYTES,
  type TActivity,
  type TListTasksQuery,
  type TTask,
  ZSafeText,
  ZTaskStatus,
} from "@tandem/contracts";
import { listActivity, listTasks as listTaskRows, type TaskCursor } from "@tandem/database";
import { z } from "zod";
import { defineQuery } from "../context.ts";
import { invalid } from "../errors.ts";
import { toActivityDto, toTaskDto } from "../mappers.ts";
import { fitPage } from "./page.ts";
import { loadTask } from "./shared.ts";

export function encodeCursor(task: Pick<TTask, "status" | "rank" | "id">): string {
  return Buffer.from(JSON.stringify([task.status, task.rank, task.id])).toString("base64url");
}

const ZCursor = z.tuple([ZTaskStatus, ZSafeText.max(200), ZSafeText.max(64)]);

export function decodeCursor(cursor: string): TaskCursor {
  try {
    const parsed = ZCursor.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    if (parsed.success) {
      const [status, rank, id] = parsed.data;
      return { status, rank, id };
    }
  } catch {
    // fall through to the validation error
  }
  throw invalid("cursor", "Malformed cursor");
}

export const listTasks = defineQuery<TListTasksQuery, { tasks: TTask[]; nextCursor: string | null }>(
  "task.list",
  null,
  async ({ ctx, input }) => {
    const rows = await listTaskRows(ctx.db, {
      orgId: ctx.org.id,
      filters: {
        statuses: input.status,
        priorities: input.priority,
        labelIds: input.label,
        assigneeIds: input.assignee,
        q: input.q,
      },
      cursor: input.cursor ? decodeCursor(input.cursor) : undefined,
      limit: input.limit + 1,
    });
    const tasks = rows.slice(0, input.limit).map((row) => toTaskDto(row, ctx.org.prefix));
    // Cut by weight too: a page of large descriptions holds fewer tasks, never more than 1 MB.
    const page = fitPage(tasks, (task) => task, PAGE_MAX_BYTES);
    const last = page.at(-1);
    const more = page.length < tasks.length || rows.length > input.limit;
    return { tasks: page, nextCursor: more && last ? encodeCursor(last) : null };
  },
);

export const getTask = defineQuery<{ taskId: string }, TTask>("task.get", null, async ({ ctx, input }) =>
  toTaskDto(await loadTask(ctx, input.taskId), ctx.org.prefix),
);

/** History outlives the task: a deleted task's activity stays readable. */
export const getTaskActivity = defineQuery<{ taskId: string }, TActivity[]>(
  "task.activity",
  null,
  async ({ ctx, input }) => {
    const task = await loadTask(ctx, input.taskId, { includeDeleted: true });
    return (await listActivity(ctx.db, { orgId: ctx.org.id, taskId: task.id })).map(toActivityDto);
  },
);
