import {
  addTombstone,
  hasTombstone,
  insertIssueLink,
  lockIssueLink,
  lockTask,
  type RepoLinkRow,
  updateIssueLink,
  updateTaskRow,
} from "@tandem/database";
import { newId } from "@tandem/util";
import { defineMutation, type TxCtx } from "../context.ts";
import { taskDto } from "../projects/workflow.ts";
import { removeTaskRelations } from "../relations/remove.ts";
import { recordTaskChange } from "../tasks/shared.ts";
import {
  assigneeKey,
  createSyncedTask,
  freshFields,
  labelKey,
  lockRepoProject,
  resolveFields,
  statusFor,
  writeFields,
} from "./fields.ts";
import type { TGithubIssue } from "./payloads.ts";

/** The issue's GitHub-side fields as the marks see them; absent parts stay undefined. */
function incomingOf(issue: TGithubIssue) {
  return {
    title: issue.title,
    description: issue.body,
    status: issue.state && { state: issue.state, reason: issue.state_reason ?? null },
    labelIds: labelKey(issue.labels),
    assigneeIds: assigneeKey(issue.assignees),
  };
}

/** Deleted or transferred away: the task goes, and the issue's tombstone keeps it gone. */
async function removeIssue(ctx: TxCtx, repo: RepoLinkRow, issue: TGithubIssue) {
  await addTombstone(ctx.tx, { orgId: ctx.org.id, repositoryId: repo.id, kind: "issue", githubId: issue.id });
  const link = await lockIssueLink(ctx.tx, { orgId: ctx.org.id, repositoryId: repo.id, number: issue.number });
  if (!link || link.state === "deleted") return null;
  await updateIssueLink(ctx.tx, {
    orgId: ctx.org.id,
    id: link.id,
    values: { state: "deleted", githubUpdatedAt: new Date(issue.updated_at) },
  });
  const task = await lockTask(ctx.tx, { orgId: ctx.org.id, ref: { id: link.taskId } });
  if (!task) return null;
  await removeTaskRelations(ctx, task.id);
  const after = await updateTaskRow(ctx.tx, {
    orgId: ctx.org.id,
    id: task.id,
    values: { deletedAt: new Date(), updatedBy: null },
  });
  return recordTaskChange(ctx, {
    type: "DELETE_TASK",
    action: "deleted",
    task: after,
    changes: [],
    wasPublic: task.visibility === "public",
  });
}

/**
 * An issue event (opened, edited, closed, reopened, labeled, assigned, pinned…, deleted,
 * transferred). Each field is taken only from a payload newer than the one it last came from
 * (GitHub's `updated_at`), so deliveries in any order, in any batches, end in the same task; a
 * deleted or transferred issue never comes back.
 */
export const syncIssue = defineMutation(
  "github.sync.issue",
  null,
  async ({ ctx, input }: { ctx: TxCtx; input: { repo: RepoLinkRow; issue: TGithubIssue; action: string } }) => {
    const { repo, issue, action } = input;
    const { tx } = ctx;
    if (action === "deleted" || action === "transferred") return removeIssue(ctx, repo, issue);
    if (await hasTombstone(tx, { orgId: ctx.org.id, repositoryId: repo.id, kind: "issue", githubId: issue.id }))
      return null;
    const link = await lockIssueLink(tx, { orgId: ctx.org.id, repositoryId: repo.id, number: issue.number });
    if (link?.state === "deleted") return null;
    const source = (current: Parameters<typeof statusFor>[1]) => ({
      title: issue.title,
      description: issue.body,
      status: issue.state ? statusFor({ state: issue.state, state_reason: issue.state_reason }, current) : undefined,
      labels: issue.labels,
      assignees: issue.assignees,
    });
    if (!link) {
      const project = await lockRepoProject(ctx, repo);
      const { fields, syncedAt } = freshFields({}, incomingOf(issue), issue.updated_at);
      const values = await resolveFields(ctx, fields, source(null));
      const task = await createSyncedTask(
        ctx,
        repo,
        project,
        { ...values, title: issue.title, status: values.status ?? "todo" },
        syncedAt,
      );
      await insertIssueLink(tx, {
        id: newId("ghi"),
        orgId: ctx.org.id,
        repositoryId: repo.id,
        taskId: task.id,
        githubIssueId: issue.id,
        number: issue.number,
        state: issue.state ?? "open",
        githubUpdatedAt: new Date(issue.updated_at),
      });
      return taskDto(ctx, task);
    }
    const task = await lockTask(tx, { orgId: ctx.org.id, ref: { id: link.taskId } });
    if (!task) return null;
    if (issue.state && (!link.githubUpdatedAt || link.githubUpdatedAt < new Date(issue.updated_at))) {
      await updateIssueLink(tx, {
        orgId: ctx.org.id,
        id: link.id,
        values: { state: issue.state, githubUpdatedAt: new Date(issue.updated_at) },
      });
    }
    const { fields, syncedAt } = freshFields(task.syncedAt, incomingOf(issue), issue.updated_at);
    const values = await resolveFields(ctx, fields, source(task.status));
    return writeFields(ctx, task, values, syncedAt, "synced");
  },
);
