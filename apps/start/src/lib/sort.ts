import { TASK_PRIORITIES, type TTask, type TWorkflowState } from "@tandem/contracts";
import { byRank } from "./board-model.ts";

export const SORT_FIELDS = ["key", "title", "state", "priority", "dueDate"] as const;
export type TSortField = (typeof SORT_FIELDS)[number];

/**
 * The list's order: by a column when sorted (`?sort=&dir=`), else the board's (state, then rank).
 * Tasks without a due date go last whichever the direction.
 */
export function sortTasks(tasks: TTask[], states: readonly TWorkflowState[], sort?: string, dir?: string): TTask[] {
  const position = new Map(states.map((s, i) => [s.id, i]));
  const board = (a: TTask, b: TTask) =>
    (position.get(a.stateId) ?? 99) - (position.get(b.stateId) ?? 99) || byRank(a, b);
  const sign = dir === "desc" ? -1 : 1;
  const compare: Record<TSortField, (a: TTask, b: TTask) => number> = {
    key: (a, b) => a.number - b.number,
    title: (a, b) => a.title.localeCompare(b.title),
    state: board,
    priority: (a, b) => TASK_PRIORITIES.indexOf(a.priority) - TASK_PRIORITIES.indexOf(b.priority),
    dueDate: (a, b) => (a.dueDate ?? "").localeCompare(b.dueDate ?? ""),
  };
  const field = SORT_FIELDS.find((f) => f === sort);
  if (!field) return [...tasks].sort(board);
  return [...tasks].sort((a, b) => {
    if (field === "dueDate" && (!a.dueDate || !b.dueDate)) return a.dueDate ? -1 : b.dueDate ? 1 : 0;
    return sign * compare[field](a, b) || board(a, b);
  });
}
