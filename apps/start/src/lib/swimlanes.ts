import { TASK_PRIORITIES, type TMember, type TTag, type TTask } from "@tandem/contracts";
import { PRIORITY_LABELS } from "./board-model.ts";

export const GROUPS = ["none", "assignee", "priority", "label"] as const;
export type TGroup = (typeof GROUPS)[number];
export const GROUP_LABELS: Record<TGroup, string> = {
  none: "No grouping",
  assignee: "Assignee",
  priority: "Priority",
  label: "Label",
};

export const asGroup = (value: string | undefined): TGroup => GROUPS.find((group) => group === value) ?? "none";

/** A swimlane: its key (part of each column's droppable id), its title and its tasks. */
export type Lane = { key: string; title: string; tasks: TTask[] };

/**
 * Splits tasks into swimlanes. A task with several assignees or labels sits in the lane of its
 * first one (a card appears once on the board); lanes without tasks are left out, except that
 * "none" always gives the single lane.
 */
export function toLanes(tasks: TTask[], group: TGroup, context: { members: TMember[]; labels: TTag[] }): Lane[] {
  if (group === "none") return [{ key: "all", title: "", tasks }];
  const lanes = new Map<string, Lane>();
  const order: Lane[] = [];
  const add = (key: string, title: string) => {
    const lane = { key, title, tasks: [] };
    lanes.set(key, lane);
    order.push(lane);
  };
  if (group === "assignee") {
    for (const member of context.members) add(member.userId, member.name);
    add("none", "No assignee");
  } else if (group === "priority") {
    for (const priority of [...TASK_PRIORITIES].reverse()) add(priority, PRIORITY_LABELS[priority]);
  } else {
    for (const label of context.labels) add(label.id, label.name);
    add("none", "No label");
  }
  for (const task of tasks) {
    const key =
      group === "assignee"
        ? (task.assigneeIds[0] ?? "none")
        : group === "priority"
          ? task.priority
          : (task.labelIds[0] ?? "none");
    (lanes.get(key) ?? lanes.get("none"))?.tasks.push(task);
  }
  return order.filter((lane) => lane.tasks.length > 0);
}
