import {
  type TTaskPage,
  ZActivity,
  ZBulkTasksInput,
  ZBulkTasksResult,
  ZComment,
  ZCommentInput,
  ZCreateTaskInput,
  ZListTasksQuery,
  ZMoveTaskInput,
  ZSetAssigneesInput,
  ZTask,
  ZTaskPage,
  ZUpdateTaskInput,
} from "@tandem/contracts";
import {
  bulkUpdateTasks,
  createComment,
  createTask,
  deleteComment,
  deleteTask,
  getTask,
  getTaskActivity,
  listComments,
  listTasks,
  moveTask,
  setTaskAssignees,
  updateComment,
  updateTask,
} from "@tandem/domain";
import { Hono } from "hono";
import { z } from "zod";
import { doc } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import { serveSnapshot } from "../http/snapshot-response.ts";
import { validate } from "../http/validate.ts";

const ZTaskParam = z.object({ taskId: z.string().min(1).max(64) });
const ZCommentParam = ZTaskParam.extend({ commentId: z.string().min(1).max(64) });

export const taskRoutes = new Hono<AppEnv>()
  .get(
    "/",
    doc({
      tag: "Tasks",
      summary: "List tasks in board order, filtered, cursor-paginated (ETag: the org's event seq)",
      access: "member",
      response: ZTaskPage,
      etag: true,
    }),
    validate("query", ZListTasksQuery),
    async (c) => {
      // The board snapshot is the hottest read: served from the seq-keyed cache when the org
      // has not changed since it was built, or as 304 when the client already has it.
      const input = c.req.valid("query");
      return serveSnapshot<TTaskPage>(c, {
        key: `${c.var.ctx.org.id}:${JSON.stringify(input)}`,
        seq: c.var.orgSeq,
        cacheControl: "private, no-cache",
        build: () => listTasks({ ctx: c.var.ctx, input }),
      });
    },
  )
  .post(
    "/",
    doc({ tag: "Tasks", summary: "Create a task", access: "tasks.create", response: ZTask, status: 201 }),
    validate("json", ZCreateTaskInput),
    async (c) => c.json(await createTask({ ctx: c.var.ctx, input: c.req.valid("json") }), 201),
  )
  .post(
    "/bulk",
    doc({
      tag: "Tasks",
      summary: "Apply one patch to up to 500 tasks, all or nothing (each versioned, one event each)",
      description:
        "Any task missing or of another organization: 404 and nothing changes. Changing assignees also needs `tasks.assign`. Moving to another project (`projectId`) gives each task a new number there and keeps its category unless `stateId`/`status` says otherwise.",
      access: "tasks.edit",
      response: ZBulkTasksResult,
    }),
    validate("json", ZBulkTasksInput),
    async (c) => c.json(await bulkUpdateTasks({ ctx: c.var.ctx, input: c.req.valid("json") })),
  )
  .get(
    "/:taskId",
    doc({ tag: "Tasks", summary: "Get a task by id or key (ENG-42)", access: "member", response: ZTask }),
    validate("param", ZTaskParam),
    async (c) => c.json(await getTask({ ctx: c.var.ctx, input: c.req.valid("param") })),
  )
  .patch(
    "/:taskId",
    doc({
      tag: "Tasks",
      summary: "Edit a task; 409 with the current task when `version` is stale",
      access: "tasks.edit",
      response: ZTask,
      conflictCurrent: ZTask,
    }),
    validate("param", ZTaskParam),
    validate("json", ZUpdateTaskInput),
    async (c) =>
      c.json(
        await updateTask({
          ctx: c.var.ctx,
          input: { taskId: c.req.valid("param").taskId, patch: c.req.valid("json") },
        }),
      ),
  )
  .post(
    "/:taskId/move",
    doc({
      tag: "Tasks",
      summary: "Move a card to a column, between two neighbours",
      access: "tasks.edit",
      response: ZTask,
      errors: [409],
    }),
    validate("param", ZTaskParam),
    validate("json", ZMoveTaskInput),
    async (c) =>
      c.json(
        await moveTask({ ctx: c.var.ctx, input: { taskId: c.req.valid("param").taskId, move: c.req.valid("json") } }),
      ),
  )
  .put(
    "/:taskId/assignees",
    doc({ tag: "Tasks", summary: "Replace a task's assignees", access: "tasks.assign", response: ZTask }),
    validate("param", ZTaskParam),
    validate("json", ZSetAssigneesInput),
    async (c) =>
      c.json(
        await setTaskAssignees({
          ctx: c.var.ctx,
          input: { taskId: c.req.valid("param").taskId, userIds: c.req.valid("json").userIds },
        }),
      ),
  )
  .delete(
    "/:taskId",
    doc({ tag: "Tasks", summary: "Delete a task (its history stays)", access: "tasks.delete", response: ZTask }),
    validate("param", ZTaskParam),
    async (c) => c.json(await deleteTask({ ctx: c.var.ctx, input: c.req.valid("param") })),
  )
  .get(
    "/:taskId/activity",
    doc({ tag: "Tasks", summary: "A task's history", access: "member", response: z.array(ZActivity) }),
    validate("param", ZTaskParam),
    async (c) => c.json(await getTaskActivity({ ctx: c.var.ctx, input: c.req.valid("param") })),
  )
  .get(
    "/:taskId/comments",
    doc({ tag: "Comments", summary: "List comments", access: "member", response: z.array(ZComment) }),
    validate("param", ZTaskParam),
    async (c) => c.json(await listComments({ ctx: c.var.ctx, input: c.req.valid("param") })),
  )
  .post(
    "/:taskId/comments",
    doc({ tag: "Comments", summary: "Comment on a task", access: "member", response: ZComment, status: 201 }),
    validate("param", ZTaskParam),
    validate("json", ZCommentInput),
    async (c) =>
      c.json(
        await createComment({
          ctx: c.var.ctx,
          input: { taskId: c.req.valid("param").taskId, body: c.req.valid("json").body },
        }),
        201,
      ),
  )
  .patch(
    "/:taskId/comments/:commentId",
    doc({ tag: "Comments", summary: "Edit a comment", access: "author", response: ZComment }),
    validate("param", ZCommentParam),
    validate("json", ZCommentInput),
    async (c) =>
      c.json(
        await updateComment({ ctx: c.var.ctx, input: { ...c.req.valid("param"), body: c.req.valid("json").body } }),
      ),
  )
  .delete(
    "/:taskId/comments/:commentId",
    doc({ tag: "Comments", summary: "Delete a comment", access: "author", response: ZComment }),
    validate("param", ZCommentParam),
    async (c) => c.json(await deleteComment({ ctx: c.var.ctx, input: c.req.valid("param") })),
  );
