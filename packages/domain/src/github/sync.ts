import type { TTaskStatus } from "@tandem/contracts";
import {
  type Database,
  findLabelsByName,
  getTask,
  insertComment,
  insertIssueLink,
  insertPullRequestLink,
  insertTag,
  insertTaskWithEvent,
  lastRankInStatus,
  lockCommentByGithubId,
  lockIssueLink,
  lockPullRequestLink,
  lockTask,
  membersByGithubIds,
  type OrgRow,
  type RepoLinkRow,
  setTaskSyncedAt,
  type TaskRow,
  updateCommentRow,
  updateIssueLink,
  updatePullRequestLink,
  updateTaskRow,
} from "@tandem/database";
import { traced } from "@tandem/opentelemetry";
import { newId, parseTaskKey, rankAfter } from "@tandem/util";
import { recordEvent } from "../admin-events.ts";
import { notifyCommitted, type TxCtx } from "../context.ts";
import { toCommentDto, toTagDto, toTaskDto } from "../mappers.ts";
import { recordTaskChange } from "../tasks/shared.ts";
import type { TGithubComment, TGithubIssue, TGithubPullRequest } from "./payloads.ts";

type SyncTarget = { db: Database; org: OrgRow; repo: RepoLinkRow };
type SyncedFields = Partial<Pick<TaskRow, "title" | "description" | "status" | "labelIds" | "assigneeIds">>;

function githubCtx(target: SyncTarget, tx: TxCtx["tx"]): TxCtx {
  return { db: target.db, org: target.org, actor: { type: "github", userId: null }, tx };
}

/** GitHub state → task status. An open issue keeps a board status, unless it was closed. */
function statusFor(
  issue: { state: "open" | "closed"; state_reason?: string | null },
  current: TTaskStatus | null,
): TTaskStatus {
  if (issue.state === "closed") return issue.state_reason === "not_planned" ? "canceled" : "done";
  return current && current !== "done" && current !== "canceled" ? current : "todo";
}

async function labelIdsFor(ctx: TxCtx, names: string[], colors: Map<string, string>): Promise<string[]> {
  const unique = [...new Set(names.map((n) => n.trim()).filter(Boolean))];
  const found = await findLabelsByName(ctx.tx, { orgId: ctx.org.id, names: unique });
  const ids = found.map((l) => l.id);
  const known = new Set(found.map((l) => l.name.toLowerCase()));
  for (const name of unique.filter((n) => !known.has(n.toLowerCase()))) {
    // Labels are matched by name and created when missing, with GitHub's colour.
    const row = await insertTag(ctx.tx, "label", {
      id: newId("lbl"),
      orgId: ctx.org.id,
      name,
      color: `#${colors.get(name) ?? "6b7280"}`,
    });
    await recordEvent(ctx, "CREATE_LABEL", "public", { label: toTagDto(row) });
    ids.push(row.id);
  }
  return ids.sort();
}

/**
 * Applies fields from GitHub at `updatedAt`, each only if newer than what that field last
 * came from: events applied in any order end in the same task.
 */
async function applyFields(ctx: TxCtx, before: TaskRow, fields: SyncedFields, updatedAt: string, action: string) {
  const syncedAt = { ...before.syncedAt };
  const values: SyncedFields & { syncedAt?: Record<string, string> } = {};
  for (const [field, value] of Object.entries(fields) as [keyof SyncedFields, unknown][]) {
    if ((syncedAt[field] ?? "") > updatedAt) continue;
    syncedAt[field] = updatedAt;
    if (JSON.stringify(before[field]) !== JSON.stringify(value)) Object.assign(values, { [field]: value });
  }
  const changedFields = Object.keys(values);
  if (changedFields.length === 0) {
    if (JSON.stringify(syncedAt) !== JSON.stringify(before.syncedAt)) {
      await setTaskSyncedAt(ctx.tx, { orgId: ctx.org.id, id: before.id, syncedAt });
    }
    return toTaskDto(before, ctx.org.prefix);
  }
  if (values.status && values.status !== before.status) {
    Object.assign(values, {
      rank: rankAfter(await lastRankInStatus(ctx.tx, { orgId: ctx.org.id, status: values.status })),
    });
  }
  const after = await updateTaskRow(ctx.tx, {
    orgId: ctx.org.id,
    id: before.id,
    values: { ...values, syncedAt, updatedBy: null },
  });
  const changes = changedFields.map((field) => ({
    field,
    from: before[field as keyof SyncedFields],
    to: after[field as keyof SyncedFields],
  }));
  return recordTaskChange(ctx, {
    type: "UPDATE_TASK",
    action,
    task: after,
    changes,
    wasPublic: before.visibility === "public",
  });
}

async function createSyncedTask(
  ctx: TxCtx,
  target: SyncTarget,
  fields: Required<Omit<SyncedFields, "assigneeIds">> & { assigneeIds: string[] },
  updatedAt: string,
) {
  const now = new Date();
  const syncedAt = Object.fromEntries(Object.keys(fields).map((f) => [f, updatedAt]));
  const row: TaskRow = {
    id: newId("task"),
    orgId: ctx.org.id,
    number: 0,
    title: fields.title,
    description: fields.description,
    status: fields.status,
    priority: "none",
    categoryId: target.repo.categoryId,
    parentId: null,
    visibility: "private",
    labelIds: fields.labelIds,
    assigneeIds: fields.assigneeIds,
    rank: rankAfter(await lastRankInStatus(ctx.tx, { orgId: ctx.org.id, status: fields.status })),
    version: 1,
    syncedAt,
    createdBy: null,
    updatedBy: null,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  const { number } = await insertTaskWithEvent(ctx.tx, {
    task: row,
    activity: { id: newId("act"), actorId: null, actorType: "github", action: "created", changes: [] },
    event: {
      type: "CREATE_TASK",
      visibility: "members",
      actorId: null,
      payload: { task: toTaskDto(row, ctx.org.prefix) },
    },
    prefix: ctx.org.prefix,
  });
  return { ...row, number };
}

async function assigneeIdsFor(ctx: TxCtx, users: { id: number }[] | null | undefined) {
  const members = await membersByGithubIds(ctx.tx, {
    orgId: ctx.org.id,
    githubIds: (users ?? []).map((u) => String(u.id)),
  });
  return members.map((m) => m.userId).sort();
}

/** An issue event (opened, edited, closed, reopened, labeled, assigned…, deleted, transferred). */
export function syncIssue(target: SyncTarget, issue: TGithubIssue, action: string) {
  return traced("github.sync.issue", async () => {
    const result = await target.db.transaction(async (tx) => {
      const ctx = githubCtx(target, tx);
      const link = await lockIssueLink(tx, { repositoryId: target.repo.id, number: issue.number });
      const gone = action === "deleted" || action === "transferred";
      if (gone) {
        if (!link || link.state === "deleted") return null;
        await updateIssueLink(tx, {
          id: link.id,
          values: { state: "deleted", githubUpdatedAt: new Date(issue.updated_at) },
        });
        const task = await lockTask(tx, { orgId: ctx.org.id, ref: { id: link.taskId } });
        if (!task) return null;
        const after = await updateTaskRow(tx, {
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
      const colors = new Map(issue.labels.map((l) => [l.name, l.color ?? "6b7280"]));
      const fields = {
        title: issue.title.slice(0, 500),
        description: issue.body ?? "",
        labelIds: await labelIdsFor(
          ctx,
          issue.labels.map((l) => l.name),
          colors,
        ),
        assigneeIds: await assigneeIdsFor(ctx, issue.assignees),
      };
      if (!link) {
        const task = await createSyncedTask(
          ctx,
          target,
          { ...fields, status: statusFor(issue, null) },
          issue.updated_at,
        );
        await insertIssueLink(tx, {
          id: newId("ghi"),
          orgId: ctx.org.id,
          repositoryId: target.repo.id,
          taskId: task.id,
          githubIssueId: issue.id,
          number: issue.number,
          state: issue.state,
          githubUpdatedAt: new Date(issue.updated_at),
        });
        return toTaskDto(task, ctx.org.prefix);
      }
      const task = await lockTask(tx, { orgId: ctx.org.id, ref: { id: link.taskId } });
      if (!task) return null;
      if (!link.githubUpdatedAt || link.githubUpdatedAt.toISOString() < issue.updated_at) {
        await updateIssueLink(tx, {
          id: link.id,
          values: { state: issue.state, githubUpdatedAt: new Date(issue.updated_at) },
        });
      }
      return applyFields(ctx, task, { ...fields, status: statusFor(issue, task.status) }, issue.updated_at, "synced");
    });
    notifyCommitted(target.org.id);
    return result;
  });
}

const CLOSING = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s+(#\d+|[A-Za-z][A-Za-z0-9]*-\d+)/gi;

/** Task references a PR body closes: "Fixes ENG-12" (task key) or "Closes #12" (issue in the repo). */
export function closingReferences(body: string): string[] {
  return [...body.matchAll(CLOSING)].map((m) => m[1] ?? "").filter(Boolean);
}

/** A pull request: it becomes a task, or links the tasks it closes; merged → those are done. */
export function syncPullRequest(target: SyncTarget, pr: TGithubPullRequest, action: string) {
  return traced("github.sync.pull_request", async () => {
    await target.db.transaction(async (tx) => {
      const ctx = githubCtx(target, tx);
      const referenced: TaskRow[] = [];
      for (const ref of closingReferences(pr.body ?? "")) {
        let task: TaskRow | undefined;
        if (ref.startsWith("#")) {
          const issueLink = await lockIssueLink(tx, { repositoryId: target.repo.id, number: Number(ref.slice(1)) });
          task = issueLink ? await lockTask(tx, { orgId: ctx.org.id, ref: { id: issueLink.taskId } }) : undefined;
        } else {
          const key = parseTaskKey(ref);
          if (key && key.prefix === ctx.org.prefix.toUpperCase())
            task = await lockTask(tx, { orgId: ctx.org.id, ref: { number: key.number } });
        }
        if (task && !referenced.some((t) => t.id === task.id)) referenced.push(task);
      }
      const link = await lockPullRequestLink(tx, { repositoryId: target.repo.id, number: pr.number });
      const merged = Boolean(pr.merged || pr.merged_at);
      let prTaskId = link?.taskId ?? referenced[0]?.id;
      if (!prTaskId) {
        const created = await createSyncedTask(
          ctx,
          target,
          {
            title: pr.title.slice(0, 500),
            description: pr.body ?? "",
            status: statusFor(pr, null),
            labelIds: [],
            assigneeIds: [],
          },
          pr.updated_at,
        );
        prTaskId = created.id;
      } else if (!link && !referenced.length) {
        prTaskId = undefined;
      }
      if (prTaskId && !link) {
        await insertPullRequestLink(tx, {
          id: newId("ghp"),
          orgId: ctx.org.id,
          repositoryId: target.repo.id,
          taskId: prTaskId,
          githubPullRequestId: pr.id,
          number: pr.number,
          state: pr.state,
          merged,
          githubUpdatedAt: new Date(pr.updated_at),
        });
      } else if (link && (!link.githubUpdatedAt || link.githubUpdatedAt.toISOString() <= pr.updated_at)) {
        await updatePullRequestLink(tx, {
          id: link.id,
          values: { state: pr.state, merged, githubUpdatedAt: new Date(pr.updated_at) },
        });
      }
      if (action === "closed" && merged) {
        for (const task of referenced)
          await applyFields(ctx, task, { status: "done" }, pr.updated_at, "closed_by_pull_request");
      }
      if (prTaskId && !referenced.some((t) => t.id === prTaskId)) {
        const own = await lockTask(tx, { orgId: ctx.org.id, ref: { id: prTaskId } });
        if (own) {
          const status: TTaskStatus =
            pr.state === "closed" ? (merged ? "done" : "canceled") : statusFor(pr, own.status);
          await applyFields(ctx, own, { title: pr.title.slice(0, 500), status }, pr.updated_at, "synced");
        }
      }
    });
    notifyCommitted(target.org.id);
  });
}

/** An issue comment mirrored as a task comment by its GitHub author, once per GitHub comment. */
export function syncComment(target: SyncTarget, issueNumber: number, comment: TGithubComment, action: string) {
  return traced("github.sync.comment", async () => {
    await target.db.transaction(async (tx) => {
      const ctx = githubCtx(target, tx);
      const issueLink = await lockIssueLink(tx, { repositoryId: target.repo.id, number: issueNumber });
      const prLink = issueLink
        ? undefined
        : await lockPullRequestLink(tx, { repositoryId: target.repo.id, number: issueNumber });
      const taskId = issueLink?.taskId ?? prLink?.taskId;
      if (!taskId) return;
      const task = await getTask(tx, { orgId: ctx.org.id, ref: { id: taskId } });
      if (!task) return;
      const existing = await lockCommentByGithubId(tx, { orgId: ctx.org.id, githubCommentId: comment.id });
      const author = { login: comment.user?.login ?? "ghost", avatarUrl: comment.user?.avatar_url ?? null };
      const event = (
        type: "CREATE_COMMENT" | "UPDATE_COMMENT" | "DELETE_COMMENT",
        row: Parameters<typeof toCommentDto>[0],
      ) => recordEvent(ctx, type, "members", { comment: toCommentDto(row), taskNumber: task.number });
      if (!existing) {
        if (action === "deleted") return;
        const row = await insertComment(tx, {
          id: newId("cmt"),
          orgId: ctx.org.id,
          taskId,
          authorId: null,
          externalAuthor: author,
          body: comment.body ?? "",
          githubCommentId: comment.id,
          createdAt: new Date(comment.created_at),
          updatedAt: new Date(comment.updated_at),
        });
        await event("CREATE_COMMENT", row);
        return;
      }
      if (existing.deletedAt || existing.updatedAt.toISOString() > comment.updated_at) return;
      const row = await updateCommentRow(tx, {
        orgId: ctx.org.id,
        commentId: existing.id,
        values:
          action === "deleted"
            ? { deletedAt: new Date() }
            : {
                body: comment.body ?? "",
                editedAt: new Date(comment.updated_at),
                updatedAt: new Date(comment.updated_at),
              },
      });
      await event(action === "deleted" ? "DELETE_COMMENT" : "UPDATE_COMMENT", row);
    });
    notifyCommitted(target.org.id);
  });
}
