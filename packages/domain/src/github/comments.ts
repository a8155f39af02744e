import {
  addTombstone,
  type CommentRow,
  getTask,
  hasTombstone,
  insertComment,
  lockCommentByGithubId,
  lockIssueLink,
  lockPullRequestLink,
  type RepoLinkRow,
  type TaskRow,
  updateCommentRow,
} from "@tandem/database";
import { newId } from "@tandem/util";
import { defineMutation, type TxCtx } from "../context.ts";
import { toCommentDto } from "../mappers.ts";
import { taskKeyOf } from "../projects/workflow.ts";
import { recordEvent } from "../record-event.ts";
import type { TGithubComment } from "./payloads.ts";

async function commentEvent(
  ctx: TxCtx,
  type: "CREATE_COMMENT" | "UPDATE_COMMENT" | "DELETE_COMMENT",
  row: CommentRow,
  task: TaskRow,
) {
  const taskKey = await taskKeyOf(ctx, task);
  return recordEvent(ctx, { type, payload: { comment: toCommentDto(row), taskNumber: task.number, taskKey } });
}

/** Whether an edit at GitHub's `updated_at` is newer than the stored comment (ties: the greater body). */
function isNewer(existing: CommentRow, comment: TGithubComment): boolean {
  const at = new Date(comment.updated_at).getTime();
  const stored = existing.updatedAt.getTime();
  return at > stored || (at === stored && (comment.body ?? "") > existing.body);
}

/**
 * An issue comment mirrored as a task comment by its GitHub author, once per GitHub comment.
 * Edits apply only when newer (GitHub's `updated_at`); a deletion leaves a tombstone, so a
 * create or edit of that comment arriving later changes nothing.
 */
export const syncComment = defineMutation(
  "github.sync.comment",
  null,
  async ({
    ctx,
    input,
  }: {
    ctx: TxCtx;
    input: { repo: RepoLinkRow; issueNumber: number; comment: TGithubComment; action: string };
  }) => {
    const { repo, issueNumber, comment, action } = input;
    const { tx } = ctx;
    const ref = { orgId: ctx.org.id, repositoryId: repo.id, kind: "comment" as const, githubId: comment.id };
    if (action !== "deleted" && (await hasTombstone(tx, ref))) return;
    if (action === "deleted") await addTombstone(tx, ref);
    const issueLink = await lockIssueLink(tx, {
      orgId: ctx.org.id,
      repositoryId: repo.id,
      number: issueNumber,
    });
    const prLink = issueLink
      ? undefined
      : await lockPullRequestLink(tx, { orgId: ctx.org.id, repositoryId: repo.id, number: issueNumber });
    const taskId = issueLink?.taskId ?? prLink?.taskId;
    const existing = await lockCommentByGithubId(tx, { orgId: ctx.org.id, githubCommentId: comment.id });
    const task = taskId ? await getTask(tx, { orgId: ctx.org.id, ref: { id: existing?.taskId ?? taskId } }) : null;
    if (action === "deleted") {
      if (!existing || existing.deletedAt) return;
      const row = await updateCommentRow(tx, {
        orgId: ctx.org.id,
        commentId: existing.id,
        values: { deletedAt: new Date() },
      });
      if (task) await commentEvent(ctx, "DELETE_COMMENT", row, task);
      return;
    }
    if (!task || !taskId) return;
    if (!existing) {
      const row = await insertComment(tx, {
        id: newId("cmt"),
        orgId: ctx.org.id,
        taskId,
        authorId: null,
        externalAuthor: { login: comment.user?.login ?? "ghost", avatarUrl: comment.user?.avatar_url ?? null },
        body: comment.body ?? "",
        githubCommentId: comment.id,
        createdAt: new Date(comment.created_at),
        updatedAt: new Date(comment.updated_at),
        editedAt: new Date(comment.updated_at) > new Date(comment.created_at) ? new Date(comment.updated_at) : null,
      });
      await commentEvent(ctx, "CREATE_COMMENT", row, task);
      return;
    }
    if (existing.deletedAt || !isNewer(existing, comment)) return;
    const row = await updateCommentRow(tx, {
      orgId: ctx.org.id,
      commentId: existing.id,
      values: {
        body: comment.body ?? "",
        editedAt: new Date(comment.updated_at),
        updatedAt: new Date(comment.updated_at),
      },
    });
    await commentEvent(ctx, "UPDATE_COMMENT", row, task);
  },
);
