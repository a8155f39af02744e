import type { TTask } from "@tandem/contracts";
import { Input } from "@tandem/ui/components/input";
import { Label } from "@tandem/ui/components/label";
import { PermissionGate } from "../permission-button.tsx";

type Save = (patch: Record<string, unknown>) => void;

/** Start date, due date (native date pickers) and the estimate in points. */
export function TaskSchedule({ task, save }: { task: TTask; save: Save }) {
  return (
    <PermissionGate permission="tasks.edit">
      {(gate) => (
        <div className="grid grid-cols-3 gap-3">
          <div className="space-y-1">
            <Label htmlFor="task-start">Start date</Label>
            <Input
              id="task-start"
              type="date"
              value={task.startDate ?? ""}
              disabled={gate.disabled}
              aria-describedby={gate.describedBy}
              onChange={(e) => save({ startDate: e.target.value || null })}
            />
          </div>
          <div className="space-y-1">
            <Label htmlFor="task-due">Due date</Label>
            <Input
              id="task-due"
              type="date"
              value={task.dueDate ?? ""}
              disabled={gate.disabled}
              aria-describedby={gate.describedBy}
              onChange={(e) => save({ dueDate: e.target.value || null })}
            />
          </div>
          <div className="space-y-1">
            <Label htmlFor="task-estimate">Estimate (points)</Label>
            <Input
              id="task-estimate"
              type="number"
              min={0}
              max={1000}
              // Keyed by the value: a live change from someone else replaces what is shown.
              key={task.estimate ?? "none"}
              defaultValue={task.estimate ?? ""}
              disabled={gate.disabled}
              aria-describedby={gate.describedBy}
              onBlur={(e) => {
                const value = e.target.value === "" ? null : Number(e.target.value);
                if (value !== task.estimate && (value === null || Number.isInteger(value))) save({ estimate: value });
              }}
            />
          </div>
        </div>
      )}
    </PermissionGate>
  );
}
