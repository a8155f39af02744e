import { TASK_PRIORITIES, type TMember, type TTask, type TWorkflowState } from "@tandem/contracts";
import { PRIORITY_LABELS } from "../../lib/board-model.ts";
import type { TSortField } from "../../lib/sort.ts";
import { AssigneeAvatars } from "../assignee-avatars.tsx";

type Patch = Record<string, unknown>;
const cell = "h-7 rounded border border-transparent bg-transparent px-1 text-sm hover:border-border";

function SortHeader(props: {
  field: TSortField;
  label: string;
  sort?: string;
  dir?: string;
  onSort: (sort: string | undefined, dir: string | undefined) => void;
}) {
  const active = props.sort === props.field;
  const next = !active ? "asc" : props.dir === "desc" ? undefined : "desc";
  return (
    <th className="p-2" aria-sort={active ? (props.dir === "desc" ? "descending" : "ascending") : "none"}>
      <button
        type="button"
        className="inline-flex items-center gap-1 hover:text-foreground"
        onClick={() => props.onSort(next ? props.field : undefined, next)}
      >
        {props.label}
        {active ? (props.dir === "desc" ? " ↓" : " ↑") : null}
      </button>
    </th>
  );
}

/**
 * The list layout: sortable columns (`?sort=&dir=`) and, for those who may edit, the state,
 * priority, assignee and due date edited in place.
 */
export function ListView(props: {
  tasks: TTask[];
  states: TWorkflowState[];
  members: TMember[];
  selectedId: string | null;
  sort?: string;
  dir?: string;
  onSort: (sort: string | undefined, dir: string | undefined) => void;
  onOpen: (task: TTask) => void;
  onPatch?: (task: TTask, patch: Patch) => void;
}) {
  const header = { sort: props.sort, dir: props.dir, onSort: props.onSort };
  const readOnly = !props.onPatch;
  const patch = (task: TTask, value: Patch) => props.onPatch?.(task, value);
  return (
    <table className="m-4 w-[calc(100%-2rem)] text-sm" data-testid="list-view">
      <thead className="text-left text-xs text-muted-foreground">
        <tr>
          <SortHeader field="key" label="Key" {...header} />
          <SortHeader field="title" label="Title" {...header} />
          <SortHeader field="state" label="State" {...header} />
          <SortHeader field="priority" label="Priority" {...header} />
          <th className="p-2">Assignees</th>
          <SortHeader field="dueDate" label="Due" {...header} />
        </tr>
      </thead>
      <tbody>
        {props.tasks.map((task) => (
          <tr
            key={task.id}
            data-testid="list-row"
            data-task-key={task.key}
            className={`border-t border-border hover:bg-muted/50 ${task.id === props.selectedId ? "bg-muted" : ""}`}
          >
            <td className="p-2 font-mono text-xs">{task.key}</td>
            <td className="p-2">
              <button type="button" className="text-left hover:underline" onClick={() => props.onOpen(task)}>
                {task.title}
              </button>
            </td>
            <td className="p-2">
              <select
                aria-label={`State of ${task.key}`}
                className={cell}
                value={task.stateId}
                disabled={readOnly}
                onChange={(e) => patch(task, { stateId: e.target.value })}
              >
                {props.states.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </td>
            <td className="p-2">
              <select
                aria-label={`Priority of ${task.key}`}
                className={cell}
                value={task.priority}
                disabled={readOnly}
                onChange={(e) => patch(task, { priority: e.target.value })}
              >
                {TASK_PRIORITIES.map((p) => (
                  <option key={p} value={p}>
                    {PRIORITY_LABELS[p]}
                  </option>
                ))}
              </select>
            </td>
            <td className="flex items-center gap-1 p-2">
              <AssigneeAvatars ids={task.assigneeIds} external={task.externalAssignees} />
              <select
                aria-label={`Assignee of ${task.key}`}
                className={cell}
                value={task.assigneeIds[0] ?? ""}
                disabled={readOnly}
                onChange={(e) => patch(task, { assigneeIds: e.target.value ? [e.target.value] : [] })}
              >
                <option value="">Nobody</option>
                {props.members.map((m) => (
                  <option key={m.userId} value={m.userId}>
                    {m.name}
                  </option>
                ))}
              </select>
            </td>
            <td className="p-2">
              <input
                type="date"
                aria-label={`Due date of ${task.key}`}
                className={cell}
                value={task.dueDate ?? ""}
                disabled={readOnly}
                onChange={(e) => patch(task, { dueDate: e.target.value || null })}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
