import type { TReviewState, TTaskStatus } from "@tandem/contracts";
import {
  insertPullRequestLink,
  lockIssueLink,
  lockPullRequestLink,
  lockTask,
  type RepoLinkRow,
  type TaskRow,
  updatePullRequestLink,
} from "@tandem/database";
import { newId, parseTaskKey } from "@tandem/util";
import { defineMutation, type TxCtx } from "../context.ts";
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
import type { TGithubPullRequest, TGithubReview } from "./payloads.ts";

const CLOSING = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s+(#\d+|[A-Za-z][A-Za-z0-9]*-\d+)/gi;

/** Task references a PR body closes: "Fixes ENG-12" (task key) or "Closes #12" (issue in the repo). */
export function closingReferences(body: string): string[] {
  return [...body.matchAll(CLOSING)].map((m) => m[1] ?? "").filter(Boolean);
}

async function referencedTasks(ctx: TxCtx, repo: RepoLinkRow, body: string): Promise<TaskRow[]> {
  const referenced: TaskRow[] = [];
  for (const ref of closingReferences(body)) {
    let task: TaskRow | undefined;
    if (ref.startsWith("#")) {
      const issueLink = await lockIssueLink(ctx.tx, {
        orgId: ctx.org.id,
        repositoryId: repo.id,
        number: Number(ref.slice(1)),
      });
      task = issueLink ? await lockTask(ctx.tx, { orgId: ctx.org.id, ref: { id: issueLink.taskId } }) : undefined;
    } else {
      const key = parseTaskKey(ref);
      if (key)
        task = await lockTask(ctx.tx, { orgId: ctx.org.id, ref: { projectKey: key.prefix, number: key.number } });
    }
    if (task && !referenced.some((t) => t.id === task.id)) referenced.push(task);
  }
  return referenced;
}

/**
 * A pull request: it becomes a task of its own (title, description, status, labels and
 * assignees mirrored like an issue's, each guarded by `updated_at`), or links the tasks it
 * closes; merged → those are done.
 */
export const syncPullRequest = defineMutation(
  "github.sync.pull_request",
  null,
  async ({
    ctx,
    input,
  }: {
    ctx: TxCtx;
    input: { repo: RepoLinkRow; pullRequest: TGithubPullRequest; action: string };
  }) => {
    const { repo, pullRequest: pr, action } = input;
    const { tx } = ctx;
    const referenced = await referencedTasks(ctx, repo, pr.body ?? "");
    const link = await lockPullRequestLink(tx, {
      orgId: ctx.org.id,
      repositoryId: repo.id,
      number: pr.number,
    });
    const merged = Boolean(pr.merged || pr.merged_at);
    const incoming = {
      title: pr.title,
      description: pr.body,
      status: { state: pr.state, merged },
      labelIds: labelKey(pr.labels),
      assigneeIds: assigneeKey(pr.assignees),
    };
    const source = (current: TTaskStatus | null) => ({
      title: pr.title,
      description: pr.body,
      status: (pr.state === "closed" ? (merged ? "done" : "canceled") : statusFor(pr, current)) as TTaskStatus,
      labels: pr.labels,
      assignees: pr.assignees,
    });
    let prTaskId = link?.taskId ?? referenced[0]?.id;
    let ownTask = false;
    if (!prTaskId) {
      const project = await lockRepoProject(ctx, repo);
      const { fields, syncedAt } = freshFields({}, incoming, pr.updated_at);
      const values = await resolveFields(ctx, fields, source(null));
      const created = await createSyncedTask(
        ctx,
        repo,
        project,
        { ...values, title: pr.title, status: values.status ?? "todo" },
        syncedAt,
      );
      prTaskId = created.id;
      ownTask = true;
    }
    if (!link) {
      await insertPullRequestLink(tx, {
        id: newId("ghp"),
        orgId: ctx.org.id,
        repositoryId: repo.id,
        taskId: prTaskId,
        githubPullRequestId: pr.id,
        number: pr.number,
        state: pr.state,
        merged,
        githubUpdatedAt: new Date(pr.updated_at),
      });
    } else if (!link.githubUpdatedAt || link.githubUpdatedAt <= new Date(pr.updated_at)) {
      await updatePullRequestLink(tx, {
        orgId: ctx.org.id,
        id: link.id,
        values: { state: pr.state, merged, githubUpdatedAt: new Date(pr.updated_at) },
      });
    }
    if (action === "closed" && merged) {
      for (const task of referenced) {
        const { fields, syncedAt } = freshFields(task.syncedAt, { status: "merged" }, pr.updated_at);
        if (fields.has("status")) await writeFields(ctx, task, { status: "done" }, syncedAt, "closed_by_pull_request");
      }
    }
    if (ownTask || referenced.some((t) => t.id === prTaskId)) return;
    const own = await lockTask(tx, { orgId: ctx.org.id, ref: { id: prTaskId } });
    if (!own) return;
    const { fields, syncedAt } = freshFields(own.syncedAt, incoming, pr.updated_at);
    await writeFields(ctx, own, await resolveFields(ctx, fields, source(own.status)), syncedAt, "synced");
  },
);

type ReviewerState = { id: number; state: string; at: string };

/**
 * Whether a review replaces a reviewer's recorded one: review ids grow with time, and a
 * dismissal (same id, later event) wins over the review it dismisses.
 */
function replaces(incoming: ReviewerState, stored: ReviewerState | undefined): boolean {
  if (!stored) return true;
  if (incoming.id !== stored.id) return incoming.id > stored.id;
  return incoming.state === "dismissed" && stored.state !== "dismissed";
}

/** GitHub's review decision: anyone asking for changes wins; else any approval; else none. */
function decision(reviews: Record<string, { state: string }>): TReviewState | null {
  const states = Object.values(reviews).map((r) => r.state);
  if (states.includes("changes_requested")) return "changes_requested";
  return states.includes("approved") ? "approved" : null;
}

/**
 * A pull request review: each reviewer's latest approving, change-requesting or dismissed
 * review is kept on the PR link, and the decision they add up to is shown on the linked task.
 * Comment-only reviews change no one's decision (as on GitHub).
 */
export const syncReview = defineMutation(
  "github.sync.review",
  null,
  async ({ ctx, input }: { ctx: TxCtx; input: { repo: RepoLinkRow; prNumber: number; review: TGithubReview } }) => {
    const { repo, prNumber, review } = input;
    const { tx } = ctx;
    if (!["approved", "changes_requested", "dismissed"].includes(review.state) || !review.user) return;
    const link = await lockPullRequestLink(tx, { orgId: ctx.org.id, repositoryId: repo.id, number: prNumber });
    if (!link) return;
    const reviewer = String(review.user.id);
    const incoming = { id: review.id, state: review.state, at: review.submitted_at ?? "" };
    const stored: ReviewerState | undefined = link.reviews[reviewer];
    if (!replaces(incoming, stored)) return;
    const reviews = { ...link.reviews, [reviewer]: incoming };
    await updatePullRequestLink(tx, { orgId: ctx.org.id, id: link.id, values: { reviews } });
    const task = await lockTask(tx, { orgId: ctx.org.id, ref: { id: link.taskId } });
    if (!task) return;
    await writeFields(ctx, task, { reviewState: decision(reviews) }, task.syncedAt, "reviewed");
  },
);
