import type { TComment } from "@tandem/contracts";
import {
  insertComment,
  listComments as listCommentRows,
  lockComment,
  recordTaskEvent,
  type TaskRow,
  updateCommentRow,
} from "@tandem/database";
import { newId } from "@tandem/util";
import { actorId, can, defineMutation, defineQuery, type TxCtx } from "./context.ts";
import { forbidden, notFound } from "./errors.ts";
import { toCommentDto } from "./mappers.ts";
import { taskKeyOf } from "./projects/workflow.ts";
import { toNewEvent } from "./record-event.ts";
import { activityRow, loadTask } from "./tasks/shared.ts";

type CommentType = "CREATE_COMMENT" | "UPDATE_COMMENT" | "DELETE_COMMENT";
const COMMENT_ACTIONS = {
  CREATE_COMMENT: "commented",
  UPDATE_COMMENT: "comment_edited",
  DELETE_COMMENT: "comment_deleted",
};

async function recordComment(ctx: TxCtx, type: CommentType, comment: TComment, task: TaskRow) {
  const taskKey = await taskKeyOf(ctx, task);
  await recordTaskEvent(ctx.tx, {
    orgId: ctx.org.id,
    activity: activityRow(ctx, comment.taskId, COMMENT_ACTIONS[type]),
    event: toNewEvent(ctx, { type, payload: { comment, taskNumber: task.number, taskKey } }),
  });
  return comment;
}

/** Only the author, or an administrator, may change a comment. */
async function lockOwnComment(ctx: TxCtx, taskId: string, commentId: string) {
  const task = await loadTask(ctx, taskId);
  const row = await lockComment(ctx.tx, { orgId: ctx.org.id, taskId: task.id, commentId });
  if (!row) throw notFound("Comment");
  if (row.authorId !== actorId(ctx) && !can(ctx, "admin.administrator")) {
    throw forbidden("Only the author or an administrator can change this comment");
  }
  return { task, row };
}

export const listComments = defineQuery<{ taskId: string }, TComment[]>(
  "comment.list",
  null,
  async ({ ctx, input }) => {
    const task = await loadTask(ctx, input.taskId);
    return (await listCommentRows(ctx.db, { orgId: ctx.org.id, taskId: task.id })).map(toCommentDto);
  },
);

export const createComment = defineMutation<{ taskId: string; body: string }, TComment>(
  "comment.create",
  null,
  async ({ ctx, input }) => {
    const task = await loadTask(ctx, input.taskId);
    const row = await insertComment(ctx.tx, {
      id: newId("cmt"),
      orgId: ctx.org.id,
      taskId: task.id,
      authorId: actorId(ctx),
      body: input.body,
    });
    return recordComment(ctx, "CREATE_COMMENT", toCommentDto(row), task);
  },
);

export const updateComment = defineMutation<{ taskId: string; commentId: string; body: string }, TComment>(
  "comment.update",
  null,
  async ({ ctx, input }) => {
    const { task, row } = await lockOwnComment(ctx, input.taskId, input.commentId);
    const updated = await updateCommentRow(ctx.tx, {
      orgId: ctx.org.id,
      commentId: row.id,
      values: { body: input.body, editedAt: new Date() },
    });
    return recordComment(ctx, "UPDATE_COMMENT", toCommentDto(updated), task);
  },
);

export const deleteComment = defineMutation<{ taskId: string; commentId: string }, TComment>(
  "comment.delete",
  null,
  async ({ ctx, input }) => {
    const { task, row } = await lockOwnComment(ctx, input.taskId, input.commentId);
    const deleted = await updateCommentRow(ctx.tx, {
      orgId: ctx.org.id,
      commentId: row.id,
      values: { deletedAt: new Date() },
    });
    return recordComment(ctx, "DELETE_COMMENT", toCommentDto(deleted), task);
  },
);
