import type { TTask } from "@tandem/contracts";
import { Input } from "@tandem/ui/components/input";
import { Label } from "@tandem/ui/components/label";
import { type Gate, PermissionGate } from "../permission-button.tsx";

type Save = (patch: Record<string, unknown>) => void;

/** Start date, due date (native date pickers) and the estimate in points. */
export function TaskSchedule({ task, save }: { task: TTask; save: Save }) {
  return (
    <PermissionGate permission="tasks.edit">
      {(gate) => (
        <div className="grid grid-cols-3 gap-3">
          <DateField
            id="task-start"
            label="Start date"
            value={task.startDate}
            gate={gate}
            onChange={(startDate) => save({ startDate })}
          />
          <DateField
            id="task-due"
            label="Due date"
            value={task.dueDate}
            gate={gate}
            onChange={(dueDate) => save({ dueDate })}
          />
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

/** A native date picker; clearing it saves null. */
function DateField(props: {
  id: string;
  label: string;
  value: string | null;
  gate: Gate;
  onChange: (value: string | null) => void;
}) {
  return (
    <div className="space-y-1">
      <Label htmlFor={props.id}>{props.label}</Label>
      <Input
        id={props.id}
        type="date"
        value={props.value ?? ""}
        disabled={props.gate.disabled}
        aria-describedby={props.gate.describedBy}
        onChange={(e) => props.onChange(e.target.value || null)}
      />
    </div>
  );
}
