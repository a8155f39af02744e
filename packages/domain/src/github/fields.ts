import { createHash } from "node:crypto";
import { STATUS_CATEGORY, type TExternalUser, type TStateCategory, type TTaskStatus } from "@tandem/contracts";
import {
  ensureLabel,
  findLabelsByName,
  lastRankInState,
  lockProject,
  membersByGithubIds,
  type ProjectRow,
  type RepoLinkRow,
  setTaskSyncedAt,
  type TaskRow,
  updateTaskRow,
} from "@tandem/database";
import { newId, rankAfter } from "@tandem/util";
import type { TxCtx } from "../context.ts";
import { toTagDto } from "../mappers.ts";
import { pickState, resolveProject, statesOf, taskDto } from "../projects/workflow.ts";
import { recordEvent } from "../record-event.ts";
import { insertTask } from "../tasks/create.ts";
import { recordTaskChange } from "../tasks/shared.ts";
import type { TGithubLabel, TGithubUser } from "./payloads.ts";

/** The task columns the sync writes. */
export type SyncedValues = Partial<
  Pick<TaskRow, "title" | "description" | "status" | "labelIds" | "assigneeIds" | "externalAssignees" | "reviewState">
>;
/** GitHub-side fields, each guarded by its own mark in `task.synced_at` (assignees fill two columns). */
export type SyncedField = "title" | "description" | "status" | "labelIds" | "assigneeIds";

/** GitHub state → task status. An open issue keeps a board status, unless it was closed. */
export function statusFor(
  issue: { state: "open" | "closed"; state_reason?: string | null },
  current: TTaskStatus | null,
): TTaskStatus {
  if (issue.state === "closed") return issue.state_reason === "not_planned" ? "canceled" : "done";
  return current && current !== "done" && current !== "canceled" ? current : "todo";
}

/**
 * The mark a field gets when set from GitHub: GitHub's timestamp, then a digest of the value.
 * Marks compare as strings, so the newest GitHub state wins, and two payloads with the same
 * timestamp but different values always resolve to the same one, whatever order they came in.
 */
export function syncMark(updatedAt: string, githubValue: unknown): string {
  const digest = createHash("sha1").update(JSON.stringify(githubValue)).digest("hex").slice(0, 12);
  return `${new Date(updatedAt).toISOString()}#${digest}`;
}

/**
 * Which of the payload's fields (GitHub-side values; `undefined` = absent from the payload) are
 * newer than what the task last took from GitHub, and the marks after taking them.
 */
export function freshFields(
  syncedAt: Record<string, string>,
  incoming: Partial<Record<SyncedField, unknown>>,
  updatedAt: string,
): { fields: Set<SyncedField>; syncedAt: Record<string, string> } {
  const next = { ...syncedAt };
  const fields = new Set<SyncedField>();
  for (const [field, githubValue] of Object.entries(incoming) as [SyncedField, unknown][]) {
    if (githubValue === undefined) continue;
    const mark = syncMark(updatedAt, githubValue);
    if ((next[field] ?? "") >= mark) continue;
    next[field] = mark;
    fields.add(field);
  }
  return { fields, syncedAt: next };
}

/** Writes the values that differ (one UPDATE_TASK event with the changes) and the new marks. */
export async function writeFields(
  ctx: TxCtx,
  before: TaskRow,
  values: SyncedValues,
  syncedAt: Record<string, string>,
  action: string,
) {
  const changed = (Object.keys(values) as (keyof SyncedValues)[]).filter(
    (field) => JSON.stringify(before[field]) !== JSON.stringify(values[field]),
  );
  if (changed.length === 0) {
    if (JSON.stringify(syncedAt) !== JSON.stringify(before.syncedAt)) {
      await setTaskSyncedAt(ctx.tx, { orgId: ctx.org.id, id: before.id, syncedAt });
    }
    return taskDto(ctx, before);
  }
  const update: SyncedValues & { rank?: string; stateId?: string } = Object.fromEntries(
    changed.map((field) => [field, values[field]]),
  );
  if (update.status) {
    // The status names a category: the task stays in its state if it has it, else the first such.
    const states = await statesOf(ctx, before.projectId);
    const target = pickState(states, { status: landingStatus(states, update.status) }, before.stateId);
    update.status = target.status;
    if (target.stateId !== before.stateId) {
      update.stateId = target.stateId;
      update.rank = rankAfter(
        await lastRankInState(ctx.tx, { orgId: ctx.org.id, projectId: before.projectId, stateId: target.stateId }),
      );
    }
  }
  const after = await updateTaskRow(ctx.tx, {
    orgId: ctx.org.id,
    id: before.id,
    values: { ...update, syncedAt, updatedBy: null },
  });
  return recordTaskChange(ctx, {
    type: "UPDATE_TASK",
    action,
    task: after,
    changes: changed.map((field) => ({ field, from: before[field], to: after[field] })),
    wasPublic: before.visibility === "public",
  });
}

/** The org's labels of these names (matched case-insensitively), created with GitHub's colour when missing. */
export async function labelIdsFor(ctx: TxCtx, labels: TGithubLabel[]): Promise<string[]> {
  const colors = new Map(labels.map((l) => [l.name.toLowerCase(), l.color ?? "6b7280"]));
  const unique = [...new Map(labels.map((l) => [l.name.toLowerCase(), l.name])).values()];
  const found = await findLabelsByName(ctx.tx, { orgId: ctx.org.id, names: unique });
  const ids = found.map((l) => l.id);
  const known = new Set(found.map((l) => l.name.toLowerCase()));
  for (const name of unique.filter((n) => !known.has(n.toLowerCase()))) {
    // Another delivery may create the same label meanwhile: the first insert wins, the rest read it.
    const { row, created } = await ensureLabel(ctx.tx, {
      id: newId("lbl"),
      orgId: ctx.org.id,
      name,
      color: `#${colors.get(name.toLowerCase()) ?? "6b7280"}`,
    });
    if (created) await recordEvent(ctx, { type: "CREATE_LABEL", payload: { label: toTagDto(row) } });
    ids.push(row.id);
  }
  return ids.sort();
}

/**
 * GitHub assignees → the org members whose linked GitHub account they are, and the rest kept
 * as external assignees (login and avatar), so no one assigned on GitHub disappears.
 */
export async function assigneesFor(
  ctx: TxCtx,
  users: TGithubUser[],
): Promise<{ assigneeIds: string[]; externalAssignees: TExternalUser[] }> {
  const members = await membersByGithubIds(ctx.tx, {
    orgId: ctx.org.id,
    githubIds: users.map((u) => String(u.id)),
  });
  const linked = new Set(members.map((m) => m.githubId));
  return {
    assigneeIds: [...new Set(members.map((m) => m.userId))].sort(),
    externalAssignees: users
      .filter((u) => !linked.has(String(u.id)))
      .map((u) => ({ login: u.login, avatarUrl: u.avatar_url }))
      .sort((a, b) => a.login.localeCompare(b.login)),
  };
}

/** GitHub-side label and assignee keys: the values marks are made of (order on GitHub does not matter). */
export const labelKey = (labels: TGithubLabel[] | undefined) =>
  labels && [...new Set(labels.map((l) => l.name.toLowerCase()))].sort();
export const assigneeKey = (users: TGithubUser[] | undefined) => users?.map((u) => u.id).sort((a, b) => a - b);

/**
 * The status a GitHub state lands as in a project: its own when the project has a state of that
 * category, else the nearest it must have (a project keeps `unstarted` and `completed` states,
 * not always `canceled` or `backlog`): closed as not planned → completed, backlog → unstarted.
 */
export function landingStatus(states: readonly { category: TStateCategory }[], status: TTaskStatus): TTaskStatus {
  if (states.some((state) => state.category === STATUS_CATEGORY[status])) return status;
  return status === "canceled" ? "done" : status === "backlog" ? "todo" : status;
}

/** The values of the fresh fields: labels and assignees are resolved (and labels made) only when taken. */
export async function resolveFields(
  ctx: TxCtx,
  fields: Set<SyncedField>,
  source: {
    title?: string;
    description?: string;
    status?: TTaskStatus;
    labels?: TGithubLabel[];
    assignees?: TGithubUser[];
  },
): Promise<SyncedValues> {
  const values: SyncedValues = {};
  if (fields.has("title") && source.title !== undefined) values.title = source.title;
  if (fields.has("description") && source.description !== undefined) values.description = source.description;
  if (fields.has("status") && source.status) values.status = source.status;
  if (fields.has("labelIds") && source.labels) values.labelIds = await labelIdsFor(ctx, source.labels);
  if (fields.has("assigneeIds") && source.assignees) Object.assign(values, await assigneesFor(ctx, source.assignees));
  return values;
}

/**
 * The project a repo's new tasks land in (the linked one, else the org's first), locked before
 * anything else of the sync is written: project, then the org's event counter, as every writer.
 */
export async function lockRepoProject(ctx: TxCtx, repo: RepoLinkRow): Promise<ProjectRow> {
  const named = repo.projectId ? await lockProject(ctx.tx, { orgId: ctx.org.id, ref: { id: repo.projectId } }) : null;
  if (named) return named;
  const fallback = await resolveProject(ctx);
  const locked = await lockProject(ctx.tx, { orgId: ctx.org.id, ref: { id: fallback.id } });
  if (!locked) throw new Error(`project ${fallback.id} vanished`);
  return locked;
}

/** A new task for a GitHub issue or pull request (CREATE_TASK event), with its fields' marks. */
export async function createSyncedTask(
  ctx: TxCtx,
  repo: RepoLinkRow,
  project: ProjectRow,
  values: SyncedValues & { title: string; status: TTaskStatus },
  syncedAt: Record<string, string>,
): Promise<TaskRow> {
  const now = new Date();
  // Open → the project's first unstarted state; closed → completed (not planned → canceled).
  const states = await statesOf(ctx, project.id);
  const { stateId, status } = pickState(states, { status: landingStatus(states, values.status) });
  const row: TaskRow = {
    id: newId("task"),
    orgId: ctx.org.id,
    projectId: project.id,
    number: 0,
    title: values.title,
    description: values.description ?? "",
    stateId,
    status,
    priority: "none",
    startDate: null,
    dueDate: null,
    estimate: null,
    categoryId: repo.categoryId,
    parentId: null,
    visibility: "private",
    labelIds: values.labelIds ?? [],
    assigneeIds: values.assigneeIds ?? [],
    externalAssignees: values.externalAssignees ?? [],
    reviewState: null,
    // Taken by the insert, like the number.
    rank: "",
    version: 1,
    syncedAt,
    createdBy: null,
    updatedBy: null,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  return insertTask(ctx, row, project.key);
}
