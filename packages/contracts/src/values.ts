/**
 * The contracts' plain values, without zod: the browser's first paint imports only these, and
 * with `sideEffects: false` the bundler leaves the schemas (and zod) out of that code.
 */
export const TASK_STATUSES = ["backlog", "todo", "in_progress", "done", "canceled"] as const;
export const TASK_PRIORITIES = ["none", "low", "medium", "high", "urgent"] as const;

/** SPEC §5: permission categories and names. `admin.administrator` grants every other one. */
export const PERMISSIONS = {
  admin: ["administrator", "manageMembers", "manageTeams", "manageSettings", "manageProjects"],
  content: ["manageLabels", "manageCategories"],
  tasks: ["create", "edit", "delete", "assign"],
} as const;

type Category = keyof typeof PERMISSIONS;
export type TPermission = {
  [C in Category]: `${C}.${(typeof PERMISSIONS)[C][number]}`;
}[Category];

export const ALL_PERMISSIONS = Object.entries(PERMISSIONS).flatMap(([category, names]) =>
  names.map((name) => `${category}.${name}`),
) as TPermission[];

export function grants(held: ReadonlySet<string>, needed: TPermission): boolean {
  return held.has("admin.administrator") || held.has(needed);
}

/** Any admin.* permission opens the admin channel and admin events. */
export function isAdmin(held: ReadonlySet<string>): boolean {
  for (const permission of held) if (permission.startsWith("admin.")) return true;
  return false;
}

/** SPEC §13: a workflow state's category, as Linear's state types. */
export const STATE_CATEGORIES = ["backlog", "unstarted", "started", "completed", "canceled"] as const;
type TCategory = (typeof STATE_CATEGORIES)[number];
type TStatus = (typeof TASK_STATUSES)[number];
/** A task's `status` is its state's category in the names clients have always used. */
export const CATEGORY_STATUS: Record<TCategory, TStatus> = {
  backlog: "backlog",
  unstarted: "todo",
  started: "in_progress",
  completed: "done",
  canceled: "canceled",
};
export const STATUS_CATEGORY: Record<TStatus, TCategory> = {
  backlog: "backlog",
  todo: "unstarted",
  in_progress: "started",
  done: "completed",
  canceled: "canceled",
};
