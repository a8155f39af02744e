import { z } from "zod";
import { ZActorKey } from "./api-keys.ts";
import { ZSafeText } from "./text.ts";
import { TASK_PRIORITIES, TASK_STATUSES } from "./values.ts";

export { TASK_PRIORITIES, TASK_STATUSES } from "./values.ts";

export const ZTaskStatus = z.enum(TASK_STATUSES);
export const ZTaskPriority = z.enum(TASK_PRIORITIES);
export const ZTaskVisibility = z.enum(["public", "private"]);
export type TTaskStatus = z.infer<typeof ZTaskStatus>;
export type TTaskPriority = z.infer<typeof ZTaskPriority>;

const ZId = ZSafeText.min(1).max(64);
/** A calendar date without a time (`2026-12-31`). */
export const ZDateOnly = z.iso.date();
const ZEstimate = z.number().int().min(0).max(1000);

/** Text limits of a task and a comment (imports hold files to the same ones). */
export const TASK_TITLE_MAX = 500;
export const TASK_DESCRIPTION_MAX = 100_000;
export const COMMENT_BODY_MAX = 50_000;

/** A GitHub user assigned on GitHub who has no Tandem account in the org. */
export const ZExternalUser = z.object({ login: z.string(), avatarUrl: z.string().nullable() });
export type TExternalUser = z.infer<typeof ZExternalUser>;
/** A linked pull request's review decision: any reviewer asking for changes wins over approvals. */
export const ZReviewState = z.enum(["approved", "changes_requested"]);
export type TReviewState = z.infer<typeof ZReviewState>;

export const ZTask = z.object({
  id: z.string(),
  orgId: z.string(),
  projectId: z.string(),
  number: z.number().int(),
  /** The project's key and the task's number (`ENG-42`). */
  key: z.string(),
  title: z.string(),
  description: z.string(),
  stateId: z.string(),
  /** The state's category in the names clients have always used (`todo`, `in_progress`, …). */
  status: ZTaskStatus,
  priority: ZTaskPriority,
  startDate: z.string().nullable(),
  dueDate: z.string().nullable(),
  estimate: z.number().int().nullable(),
  categoryId: z.string().nullable(),
  labelIds: z.array(z.string()),
  assigneeIds: z.array(z.string()),
  /** Assignees from GitHub without a Tandem account (login and avatar). */
  externalAssignees: z.array(ZExternalUser),
  /** The linked pull request's review state; null when none is linked or no one has decided. */
  reviewState: ZReviewState.nullable(),
  parentId: z.string().nullable(),
  visibility: ZTaskVisibility,
  rank: z.string(),
  version: z.number().int(),
  createdBy: z.string().nullable(),
  updatedBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TTask = z.infer<typeof ZTask>;

/** A new task's optional fields as the API fills them when a create leaves them out (fresh arrays each call). */
export function taskFieldDefaults() {
  return {
    description: "",
    status: "todo",
    priority: "none",
    startDate: null,
    dueDate: null,
    estimate: null,
    categoryId: null,
    labelIds: [],
    assigneeIds: [],
    externalAssignees: [],
    reviewState: null,
    parentId: null,
  } satisfies Partial<TTask>;
}

export const ZCreateTaskInput = z.strictObject({
  title: ZSafeText.trim().min(1).max(TASK_TITLE_MAX),
  description: ZSafeText.max(TASK_DESCRIPTION_MAX).default(""),
  /** Id or key of the project; default: the org's first project. */
  projectId: ZId.optional(),
  /** A state of the project; else `status` picks the project's first state of that category. */
  stateId: ZId.optional(),
  status: ZTaskStatus.optional(),
  priority: ZTaskPriority.default("none"),
  startDate: ZDateOnly.nullable().optional(),
  dueDate: ZDateOnly.nullable().optional(),
  estimate: ZEstimate.nullable().optional(),
  categoryId: ZId.nullable().optional(),
  labelIds: z.array(ZId).max(50).default([]),
  assigneeIds: z.array(ZId).max(50).default([]),
  parentId: ZId.nullable().optional(),
  visibility: ZTaskVisibility.default("private"),
});
export type TCreateTaskInput = z.input<typeof ZCreateTaskInput>;

export const ZUpdateTaskInput = z.strictObject({
  version: z.number().int().min(1),
  title: ZSafeText.trim().min(1).max(TASK_TITLE_MAX).optional(),
  description: ZSafeText.max(TASK_DESCRIPTION_MAX).optional(),
  stateId: ZId.optional(),
  status: ZTaskStatus.optional(),
  priority: ZTaskPriority.optional(),
  startDate: ZDateOnly.nullable().optional(),
  dueDate: ZDateOnly.nullable().optional(),
  estimate: ZEstimate.nullable().optional(),
  categoryId: ZId.nullable().optional(),
  labelIds: z.array(ZId).max(50).optional(),
  parentId: ZId.nullable().optional(),
  visibility: ZTaskVisibility.optional(),
});
export type TUpdateTaskInput = z.infer<typeof ZUpdateTaskInput>;

export const ZMoveTaskInput = z.strictObject({
  /** The target column: a state of the task's project, or a category (its first state). */
  stateId: ZId.optional(),
  status: ZTaskStatus.optional(),
  afterId: ZId.nullable().optional(),
  beforeId: ZId.nullable().optional(),
});
export type TMoveTaskInput = z.infer<typeof ZMoveTaskInput>;

export const ZSetAssigneesInput = z.strictObject({ userIds: z.array(ZId).max(50) });

const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .max(2000)
    .transform((value) => value.split(",").filter(Boolean))
    .pipe(z.array(item).max(50));

export const ZListTasksQuery = z.strictObject({
  /** Project ids or keys. */
  project: csv(ZId).optional(),
  state: csv(ZId).optional(),
  status: csv(ZTaskStatus).optional(),
  dueBefore: ZDateOnly.optional(),
  dueAfter: ZDateOnly.optional(),
  priority: csv(ZTaskPriority).optional(),
  label: csv(ZId).optional(),
  assignee: csv(ZId).optional(),
  q: ZSafeText.trim().max(200).optional(),
  cursor: ZSafeText.max(500).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type TListTasksQuery = z.infer<typeof ZListTasksQuery>;

export const ZTaskPage = z.object({ tasks: z.array(ZTask), nextCursor: z.string().nullable() });
export type TTaskPage = z.infer<typeof ZTaskPage>;

export const ZComment = z.object({
  id: z.string(),
  orgId: z.string(),
  taskId: z.string(),
  authorId: z.string().nullable(),
  externalAuthor: z.object({ login: z.string(), avatarUrl: z.string().nullable() }).nullable(),
  body: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  editedAt: z.string().nullable(),
});
export type TComment = z.infer<typeof ZComment>;
export const ZCommentInput = z.strictObject({ body: ZSafeText.trim().min(1).max(COMMENT_BODY_MAX) });

export const ZActivityChange = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() });
export const ZActivity = z.object({
  id: z.string(),
  taskId: z.string(),
  actorId: z.string().nullable(),
  actorType: z.enum(["user", "github", "system", "apiKey"]),
  /** The API key that acted (`actorType` "apiKey"); `actorId` is its creator. */
  actorKey: ZActorKey.nullable(),
  action: z.string(),
  changes: z.array(ZActivityChange),
  createdAt: z.string(),
});
export type TActivity = z.infer<typeof ZActivity>;
export type TActivityChange = z.infer<typeof ZActivityChange>;

export const ZAttachment = z.object({
  id: z.string(),
  taskId: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type TAttachment = z.infer<typeof ZAttachment>;

/** A short-lived link that downloads an attachment without a session. */
export const ZAttachmentUrl = z.object({ url: z.string(), expiresIn: z.number().int() });
export type TAttachmentUrl = z.infer<typeof ZAttachmentUrl>;
