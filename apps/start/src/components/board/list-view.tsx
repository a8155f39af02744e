import type { TTask } from "@tandem/contracts";
import { PRIORITY_LABELS, STATUS_LABELS } from "../../lib/board-model.ts";
import { AssigneeAvatars } from "../assignee-avatars.tsx";

export function ListView({
  tasks,
  selectedId,
  onOpen,
}: {
  tasks: TTask[];
  selectedId: string | null;
  onOpen: (task: TTask) => void;
}) {
  return (
    <table className="m-4 w-[calc(100%-2rem)] text-sm" data-testid="list-view">
      <thead className="text-left text-xs text-muted-foreground">
        <tr>
          <th className="p-2">Key</th>
          <th className="p-2">Title</th>
          <th className="p-2">Status</th>
          <th className="p-2">Priority</th>
          <th className="p-2">Assignees</th>
        </tr>
      </thead>
      <tbody>
        {tasks.map((task) => (
          <tr
            key={task.id}
            tabIndex={0}
            onClick={() => onOpen(task)}
            onKeyDown={(event) => event.key === "Enter" && onOpen(task)}
            className={`cursor-pointer border-t border-border hover:bg-muted/50 ${task.id === selectedId ? "bg-muted" : ""}`}
          >
            <td className="p-2 font-mono text-xs">{task.key}</td>
            <td className="p-2">{task.title}</td>
            <td className="p-2">{STATUS_LABELS[task.status]}</td>
            <td className="p-2">{PRIORITY_LABELS[task.priority]}</td>
            <td className="p-2">
              <AssigneeAvatars ids={task.assigneeIds} external={task.externalAssignees} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
