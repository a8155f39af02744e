import type { TTask } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { Input } from "@tandem/ui/components/input";
import { type FormEvent, useState } from "react";
import { useBoard, useTaskMutations } from "../../lib/queries.ts";
import { PermissionGate } from "../permission-button.tsx";

export function Subtasks({ task }: { task: TTask }) {
  const board = useBoard(task.orgId, task.projectId);
  const { create } = useTaskMutations(task.orgId);
  const [title, setTitle] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (title.trim()) create.mutate({ title: title.trim(), parentId: task.id }, { onSuccess: () => setTitle("") });
  };
  return (
    <section aria-label="Sub-tasks" className="space-y-2">
      <h3 className="text-sm font-semibold">Sub-tasks</h3>
      <ul className="space-y-1 text-sm">
        {board.data
          ?.filter((t) => t.parentId === task.id)
          .map((child) => (
            <li key={child.id} className="flex gap-2">
              <span className="font-mono text-xs text-muted-foreground">{child.key}</span>
              <span className={child.status === "done" ? "line-through" : ""}>{child.title}</span>
            </li>
          ))}
      </ul>
      <PermissionGate permission="tasks.create">
        {(gate) => (
          <form className="flex gap-2" onSubmit={submit}>
            <fieldset className="contents" disabled={gate.disabled}>
              <Input
                aria-label="Add a sub-task"
                aria-describedby={gate.describedBy}
                value={title}
                onChange={(e) => setTitle(e.target.value)}
                placeholder="Add a sub-task…"
              />
              <Button type="submit" variant="secondary" aria-describedby={gate.describedBy}>
                Add
              </Button>
            </fieldset>
          </form>
        )}
      </PermissionGate>
    </section>
  );
}
