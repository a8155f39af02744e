import { STATUS_CATEGORY, TASK_STATUSES, type TTask, type TTaskStatus, type TWorkflowState } from "@tandem/contracts";
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

export type BoardFilters = {
  state?: string;
  status?: string;
  priority?: string;
  label?: string;
  assignee?: string;
  q?: string;
  dueBefore?: string;
  dueAfter?: string;
};

const csv = (value?: string) => (value ? value.split(",").filter(Boolean) : []);

/** Filters as kept in the URL (or a saved view), applied on the client to the live board. */
export function filterTasks(tasks: TTask[], filters: BoardFilters): TTask[] {
  const states = csv(filters.state);
  const statuses = csv(filters.status);
  const priorities = csv(filters.priority);
  const labels = csv(filters.label);
  const assignees = csv(filters.assignee);
  const q = filters.q?.trim().toLowerCase();
  const { dueBefore, dueAfter } = filters;
  return tasks.filter(
    (task) =>
      (!states.length || states.includes(task.stateId)) &&
      (!statuses.length || statuses.includes(task.status)) &&
      (!priorities.length || priorities.includes(task.priority)) &&
      (!labels.length || task.labelIds.some((id) => labels.includes(id))) &&
      (!assignees.length || task.assigneeIds.some((id) => assignees.includes(id))) &&
      (!dueBefore || (task.dueDate !== null && task.dueDate <= dueBefore)) &&
      (!dueAfter || (task.dueDate !== null && task.dueDate >= dueAfter)) &&
      (!q || task.title.toLowerCase().includes(q) || task.key.toLowerCase() === q),
  );
}

export const byRank = (a: TTask, b: TTask) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.id < b.id ? -1 : 1);

/**
 * The default workflow as states whose ids are the statuses: the columns of a board that knows
 * only its cards' status (the public board).
 */
export function statusStates(projectId = ""): TWorkflowState[] {
  return TASK_STATUSES.map((status, position) => ({
    id: status,
    projectId,
    name: STATUS_LABELS[status],
    color: "#64748b",
    category: STATUS_CATEGORY[status],
    position,
  }));
}

/** A column of the board: one workflow state, within one swimlane. */
export type Column = { id: string; stateId: string; tasks: TTask[] };

/** The droppable id of a column (`lane` is "all" without swimlanes). */
export const columnId = (lane: string, stateId: string) => `${lane}::${stateId}`;

/** The project's tasks per state (ordered by rank), in the states' order. */
export function groupByState(tasks: TTask[], states: readonly TWorkflowState[], lane = "all"): Column[] {
  const columns = new Map(states.map((s) => [s.id, { id: columnId(lane, s.id), stateId: s.id, tasks: [] as TTask[] }]));
  for (const task of tasks) columns.get(task.stateId)?.tasks.push(task);
  for (const column of columns.values()) column.tasks.sort(byRank);
  return [...columns.values()];
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
export function dropTarget(columns: Column[], task: TTask, overId: string): { column: Column; index: number } | null {
  if (overId.startsWith("column:")) {
    const column = columns.find((candidate) => `column:${candidate.id}` === overId);
    return column ? { column, index: column.tasks.filter((t) => t.id !== task.id).length } : null;
  }
  const column = columns.find((candidate) => candidate.tasks.some((t) => t.id === overId));
  if (!column || overId === task.id) return null;
  const others = column.tasks.filter((t) => t.id !== task.id);
  const index = others.findIndex((t) => t.id === overId);
  const from = column.tasks.findIndex((t) => t.id === task.id);
  return { column, index: from !== -1 && from <= index ? index + 1 : index };
}

/** Priority text colours: theme tokens (packages/ui) with 4.5:1 contrast in both themes. */
export const PRIORITY_TONE: Record<TTask["priority"], string> = {
  none: "text-muted-foreground",
  low: "text-priority-low",
  medium: "text-priority-medium",
  high: "text-priority-high",
  urgent: "text-priority-urgent",
};
