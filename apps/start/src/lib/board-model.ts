import { TASK_STATUSES, type TTask, type TTaskStatus } from "@tandem/contracts";
import { rankAfter, rankBetween } from "@tandem/util";

export const STATUS_LABELS: Record<TTaskStatus, string> = {
  backlog: "Backlog",
  todo: "Todo",
  in_progress: "In progress",
  done: "Done",
  canceled: "Canceled",
};
export const PRIORITY_LABELS = {
  none: "No priority",
  low: "Low",
  medium: "Medium",
  high: "High",
  urgent: "Urgent",
} as const;

export type BoardFilters = { status?: string; priority?: string; label?: string; assignee?: string; q?: string };

const csv = (value?: string) => (value ? value.split(",").filter(Boolean) : []);

/** Filters as kept in the URL, applied on the client to the live board. */
export function filterTasks(tasks: TTask[], filters: BoardFilters): TTask[] {
  const statuses = csv(filters.status);
  const priorities = csv(filters.priority);
  const labels = csv(filters.label);
  const assignees = csv(filters.assignee);
  const q = filters.q?.trim().toLowerCase();
  return tasks.filter(
    (task) =>
      (!statuses.length || statuses.includes(task.status)) &&
      (!priorities.length || priorities.includes(task.priority)) &&
      (!labels.length || task.labelIds.some((id) => labels.includes(id))) &&
      (!assignees.length || task.assigneeIds.some((id) => assignees.includes(id))) &&
      (!q || task.title.toLowerCase().includes(q) || task.key.toLowerCase() === q),
  );
}

const byRank = (a: TTask, b: TTask) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.id < b.id ? -1 : 1);

export function groupByStatus(tasks: TTask[]): Record<TTaskStatus, TTask[]> {
  const columns = Object.fromEntries(TASK_STATUSES.map((status) => [status, [] as TTask[]])) as Record<
    TTaskStatus,
    TTask[]
  >;
  for (const task of tasks) columns[task.status].push(task);
  for (const status of TASK_STATUSES) columns[status].sort(byRank);
  return columns;
}

/**
 * Where a dropped card lands: its neighbours in the target column (for the API) and a local
 * rank between them (for the optimistic board).
 */
export function dropPosition(column: TTask[], movingId: string, index: number) {
  const others = column.filter((task) => task.id !== movingId);
  const clamped = Math.max(0, Math.min(index, others.length));
  const above = others[clamped - 1];
  const below = others[clamped];
  let rank: string;
  try {
    rank = below ? rankBetween(above?.rank ?? null, below.rank) : rankAfter(above?.rank ?? null);
  } catch {
    rank = rankAfter(above?.rank ?? null);
  }
  return { afterId: above?.id, beforeId: below?.id, rank };
}

/**
 * Where a drag ends, from dnd-kit's ids: the target column and the card's index among the
 * column's other cards, or null for a drop that moves nothing. Dropping on a column appends;
 * dropping on a card puts the dragged one in its place, or after it when it comes from above
 * in the same column.
 */
export function dropTarget(
  columns: Record<TTaskStatus, TTask[]>,
  task: TTask,
  overId: string,
): { status: TTaskStatus; index: number } | null {
  if (overId.startsWith("column:")) {
    const status = TASK_STATUSES.find((candidate) => `column:${candidate}` === overId);
    return status ? { status, index: columns[status].filter((t) => t.id !== task.id).length } : null;
  }
  const over = TASK_STATUSES.flatMap((status) => columns[status]).find((t) => t.id === overId);
  if (!over || over.id === task.id) return null;
  const others = columns[over.status].filter((t) => t.id !== task.id);
  const index = others.findIndex((t) => t.id === over.id);
  const from = columns[over.status].findIndex((t) => t.id === task.id);
  return { status: over.status, index: from !== -1 && from <= index ? index + 1 : index };
}

/** Priority text colours: theme tokens (packages/ui) with 4.5:1 contrast in both themes. */
export const PRIORITY_TONE: Record<TTask["priority"], string> = {
  none: "text-muted-foreground",
  low: "text-priority-low",
  medium: "text-priority-medium",
  high: "text-priority-high",
  urgent: "text-priority-urgent",
};
