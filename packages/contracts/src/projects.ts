import { z } from "zod";
import { ZTask } from "./task.ts";
import { ZColor } from "./taxonomy.ts";
import { ZSafeText } from "./text.ts";
import { STATE_CATEGORIES, TASK_PRIORITIES, TASK_STATUSES } from "./values.ts";

export { CATEGORY_STATUS, STATE_CATEGORIES, STATUS_CATEGORY } from "./values.ts";

const ZId = ZSafeText.min(1).max(64);
const ZName = ZSafeText.trim().min(1).max(120);

/** A project key: 2–10 upper-case letters or digits, starting with a letter (`ENG`). */
export const ZProjectKey = z
  .string()
  .min(2)
  .max(10)
  .regex(/^[A-Z][A-Z0-9]*$/, "2–10 upper-case letters or digits, starting with a letter");

export const ZStateCategory = z.enum(STATE_CATEGORIES);
export type TStateCategory = z.infer<typeof ZStateCategory>;

export const ZWorkflowState = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  color: z.string(),
  category: ZStateCategory,
  position: z.number().int(),
});
export type TWorkflowState = z.infer<typeof ZWorkflowState>;

export const ZProject = z.object({
  id: z.string(),
  orgId: z.string(),
  key: z.string(),
  name: z.string(),
  description: z.string(),
  color: z.string(),
  icon: z.string().nullable(),
  archived: z.boolean(),
  publicBoard: z.boolean(),
  publicFields: z.array(z.string()),
  position: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TProject = z.infer<typeof ZProject>;
/** A project with its workflow, ordered by position: what the board needs to draw columns. */
export const ZProjectWithStates = ZProject.extend({ states: z.array(ZWorkflowState) });
export type TProjectWithStates = z.infer<typeof ZProjectWithStates>;

export const ZCreateProjectInput = z.strictObject({
  name: ZName,
  key: ZProjectKey,
  description: ZSafeText.max(10_000).default(""),
  color: ZColor.optional(),
  icon: ZSafeText.max(64).nullable().optional(),
});
export type TCreateProjectInput = z.input<typeof ZCreateProjectInput>;

export const ZUpdateProjectInput = z.strictObject({
  name: ZName.optional(),
  key: ZProjectKey.optional(),
  description: ZSafeText.max(10_000).optional(),
  color: ZColor.optional(),
  icon: ZSafeText.max(64).nullable().optional(),
  archived: z.boolean().optional(),
  publicBoard: z.boolean().optional(),
  publicFields: z.array(z.string().max(32)).max(16).optional(),
  position: z.number().int().min(0).max(1_000_000).optional(),
});
export type TUpdateProjectInput = z.infer<typeof ZUpdateProjectInput>;

export const ZCreateStateInput = z.strictObject({
  name: ZName,
  color: ZColor.default("#64748b"),
  category: ZStateCategory,
  position: z.number().int().min(0).max(1000).optional(),
});
export type TCreateStateInput = z.input<typeof ZCreateStateInput>;

/** A state's category is fixed once made (its tasks' `status` follows it). */
export const ZUpdateStateInput = z.strictObject({
  name: ZName.optional(),
  color: ZColor.optional(),
  position: z.number().int().min(0).max(1000).optional(),
});
export type TUpdateStateInput = z.infer<typeof ZUpdateStateInput>;

export const ZDeleteStateQuery = z.strictObject({ moveTo: ZId.optional() });

/** How a relation reads from the task it is listed on; `blocked_by` is `blocks` read backwards. */
export const RELATION_TYPES = ["blocks", "blocked_by", "relates", "duplicate_of", "duplicated_by"] as const;
export const ZRelationType = z.enum(RELATION_TYPES);
export type TRelationType = z.infer<typeof ZRelationType>;

export const ZTaskRelation = z.object({
  id: z.string(),
  /** As seen from `taskId`. */
  type: ZRelationType,
  taskId: z.string(),
  /** The other task, with its key so a card can say "blocked by ENG-3". */
  relatedTaskId: z.string(),
  relatedTaskKey: z.string(),
  relatedTaskTitle: z.string(),
  relatedTaskStatus: z.enum(TASK_STATUSES),
  createdAt: z.string(),
});
export type TTaskRelation = z.infer<typeof ZTaskRelation>;

export const ZCreateRelationInput = z.strictObject({
  type: z.enum(["blocks", "blocked_by", "relates", "duplicate_of"]),
  /** The other task: its id or its key (`ENG-3`). */
  taskId: ZId,
});
export type TCreateRelationInput = z.infer<typeof ZCreateRelationInput>;

export const VIEW_GROUP_BY = ["none", "state", "assignee", "priority", "label"] as const;
export const ZViewGroupBy = z.enum(VIEW_GROUP_BY);
export const ZViewLayout = z.enum(["board", "list"]);
const ZDate = z.iso.date();

export const ZViewFilters = z.strictObject({
  state: z.array(ZId).max(50).optional(),
  status: z.array(z.enum(TASK_STATUSES)).max(5).optional(),
  priority: z.array(z.enum(TASK_PRIORITIES)).max(5).optional(),
  label: z.array(ZId).max(50).optional(),
  assignee: z.array(ZId).max(50).optional(),
  dueBefore: ZDate.optional(),
  dueAfter: ZDate.optional(),
  q: ZSafeText.trim().max(200).optional(),
});
export type TViewFilters = z.infer<typeof ZViewFilters>;

export const ZViewSort = z.strictObject({
  field: z.enum(["rank", "key", "title", "priority", "dueDate", "createdAt", "updatedAt", "state"]),
  direction: z.enum(["asc", "desc"]),
});

export const ZSavedView = z.object({
  id: z.string(),
  orgId: z.string(),
  projectId: z.string().nullable(),
  /** null: shared with the whole org. */
  ownerId: z.string().nullable(),
  name: z.string(),
  filters: ZViewFilters,
  groupBy: ZViewGroupBy,
  sort: ZViewSort.nullable(),
  layout: ZViewLayout,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TSavedView = z.infer<typeof ZSavedView>;

export const ZCreateViewInput = z.strictObject({
  name: ZName,
  projectId: ZId.nullable().optional(),
  shared: z.boolean().default(false),
  filters: ZViewFilters.default({}),
  groupBy: ZViewGroupBy.default("state"),
  sort: ZViewSort.nullable().optional(),
  layout: ZViewLayout.default("board"),
});
export type TCreateViewInput = z.input<typeof ZCreateViewInput>;
/** Only what is sent changes (no defaults here: a rename must not reset the filters). */
export const ZUpdateViewInput = z.strictObject({
  name: ZName.optional(),
  projectId: ZId.nullable().optional(),
  shared: z.boolean().optional(),
  filters: ZViewFilters.optional(),
  groupBy: ZViewGroupBy.optional(),
  sort: ZViewSort.nullable().optional(),
  layout: ZViewLayout.optional(),
});
export type TUpdateViewInput = z.infer<typeof ZUpdateViewInput>;

/** One patch for up to 500 tasks: all or nothing, each task checked and versioned. */
export const BULK_MAX_TASKS = 500;
export const ZBulkPatch = z
  .strictObject({
    stateId: ZId.optional(),
    status: z.enum(TASK_STATUSES).optional(),
    priority: z.enum(TASK_PRIORITIES).optional(),
    assigneeIds: z.array(ZId).max(50).optional(),
    labelIds: z.array(ZId).max(50).optional(),
    dueDate: ZDate.nullable().optional(),
    projectId: ZId.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, "the patch changes nothing");
export const ZBulkTasksInput = z.strictObject({
  taskIds: z.array(ZId).min(1).max(BULK_MAX_TASKS),
  patch: ZBulkPatch,
});
export type TBulkTasksInput = z.infer<typeof ZBulkTasksInput>;
/** The tasks as the bulk change left them, in the order asked. */
export const ZBulkTasksResult = z.object({ tasks: z.array(ZTask) });
export type TBulkTasksResult = z.infer<typeof ZBulkTasksResult>;
