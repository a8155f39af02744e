import {
  PAGE_MAX_BYTES,
  type TActivity,
  type TListTasksQuery,
  type TTask,
  ZSafeText,
  ZTaskStatus,
} from "@tandem/contracts";
import { listActivity, listProjects, listTasks as listTaskRows, projectKeys, type TaskCursor } from "@tandem/database";
import { z } from "zod";
import { type Ctx, defineQuery } from "../context.ts";
import { invalid } from "../errors.ts";
import { toActivityDto, toTaskDto } from "../mappers.ts";
import { taskDto } from "../projects/workflow.ts";
import { fitPage } from "./page.ts";
import { loadTask } from "./shared.ts";

export function encodeCursor(task: Pick<TTask, "projectId" | "status" | "stateId" | "rank" | "id">): string {
  return Buffer.from(JSON.stringify([task.projectId, task.status, task.stateId, task.rank, task.id])).toString(
    "base64url",
  );
}

const ZCursor = z.tuple([ZSafeText.max(64), ZTaskStatus, ZSafeText.max(64), ZSafeText.max(200), ZSafeText.max(64)]);

export function decodeCursor(cursor: string): TaskCursor {
  try {
    const parsed = ZCursor.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    if (parsed.success) {
      const [projectId, status, stateId, rank, id] = parsed.data;
      return { projectId, status, stateId, rank, id };
    }
  } catch {
    // fall through to the validation error
  }
  throw invalid("cursor", "Malformed cursor");
}

/** `project` filter values: ids or keys; an unknown one matches nothing (never another org's). */
async function projectFilter(ctx: Ctx, refs: string[] | undefined): Promise<string[] | undefined> {
  if (!refs?.length) return undefined;
  const projects = await listProjects(ctx.db, { orgId: ctx.org.id });
  const wanted = new Set(refs.map((ref) => (ref.startsWith("prj_") ? ref : ref.toUpperCase())));
  const ids = projects.filter((p) => wanted.has(p.id) || wanted.has(p.key)).map((p) => p.id);
  // No match: a filter that matches no task (an id no task has), not "no filter".
  return ids.length > 0 ? ids : ["prj_none"];
}

export const listTasks = defineQuery<TListTasksQuery, { tasks: TTask[]; nextCursor: string | null }>(
  "task.list",
  null,
  async ({ ctx, input }) => {
    const rows = await listTaskRows(ctx.db, {
      orgId: ctx.org.id,
      filters: {
        projectIds: await projectFilter(ctx, input.project),
        stateIds: input.state,
        statuses: input.status,
        dueBefore: input.dueBefore,
        dueAfter: input.dueAfter,
        priorities: input.priority,
        labelIds: input.label,
        assigneeIds: input.assignee,
        q: input.q,
      },
      cursor: input.cursor ? decodeCursor(input.cursor) : undefined,
      limit: input.limit + 1,
    });
    const keys = await projectKeys(ctx.db, { orgId: ctx.org.id });
    const tasks = rows.slice(0, input.limit).map((row) => toTaskDto(row, keys.get(row.projectId) ?? ""));
    // Cut by weight too: a page of large descriptions holds fewer tasks, never more than 1 MB.
    const page = fitPage(tasks, (task) => task, PAGE_MAX_BYTES);
    const last = page.at(-1);
    const more = page.length < tasks.length || rows.length > input.limit;
    return { tasks: page, nextCursor: more && last ? encodeCursor(last) : null };
  },
);

export const getTask = defineQuery<{ taskId: string }, TTask>("task.get", null, async ({ ctx, input }) =>
  taskDto(ctx, await loadTask(ctx, input.taskId)),
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
