import { TASK_PRIORITIES, type TMember, type TTag, type TTask, type TWorkflowState } from "@tandem/contracts";
import { PRIORITY_LABELS } from "../../lib/board-model.ts";
import { FieldSelect, type Option, VISIBILITY_OPTIONS } from "../field-select.tsx";
import { PermissionGate } from "../permission-button.tsx";
import { AssigneePicker } from "./assignee-picker.tsx";

type Save = (patch: Record<string, unknown>) => void;

/** A select that needs tasks.edit; without it, disabled with the reason on hover and focus. */
function EditSelect(props: {
  id: string;
  label: string;
  value: string;
  options: Option[];
  onChange: (v: string) => void;
}) {
  return (
    <PermissionGate permission="tasks.edit">
      {(gate) => <FieldSelect {...props} disabled={gate.disabled} describedBy={gate.describedBy} />}
    </PermissionGate>
  );
}

/** State, priority, visibility and assignees: the task's properties in a row. */
export function TaskProperties(props: {
  task: TTask;
  states: TWorkflowState[];
  members: TMember[];
  save: Save;
  assign: (userIds: string[]) => void;
}) {
  const { task, save } = props;
  return (
    <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
      <EditSelect
        id="task-state"
        label="State"
        value={task.stateId}
        options={props.states.map((s) => ({ value: s.id, label: s.name }))}
        onChange={(stateId) => save({ stateId })}
      />
      <EditSelect
        id="task-priority"
        label="Priority"
        value={task.priority}
        options={TASK_PRIORITIES.map((value) => ({ value, label: PRIORITY_LABELS[value] }))}
        onChange={(priority) => save({ priority })}
      />
      <EditSelect
        id="task-visibility"
        label="Visibility"
        value={task.visibility}
        options={VISIBILITY_OPTIONS}
        onChange={(visibility) => save({ visibility })}
      />
      <PermissionGate permission="tasks.assign">
        {(gate) => (
          <AssigneePicker
            assigneeIds={task.assigneeIds}
            members={props.members}
            disabled={gate.disabled}
            describedBy={gate.describedBy}
            onChange={props.assign}
          />
        )}
      </PermissionGate>
    </div>
  );
}

/** The label toggles and the category. */
export function TaskTaxonomy(props: { task: TTask; labels: TTag[]; categories: TTag[]; save: Save }) {
  const { task, save } = props;
  return (
    <>
      <PermissionGate permission="tasks.edit" className="w-fit">
        {(gate) => (
          <fieldset className="flex flex-wrap gap-2" disabled={gate.disabled} aria-describedby={gate.describedBy}>
            <legend className="sr-only">Labels</legend>
            {props.labels.map((label) => {
              const on = task.labelIds.includes(label.id);
              return (
                <button
                  key={label.id}
                  type="button"
                  aria-pressed={on}
                  aria-describedby={gate.describedBy}
                  onClick={() =>
                    save({
                      labelIds: on ? task.labelIds.filter((id) => id !== label.id) : [...task.labelIds, label.id],
                    })
                  }
                  className={`inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs ${on ? "border-foreground" : "border-border opacity-60"}`}
                >
                  <span className="size-2 rounded-full" style={{ background: label.color }} />
                  {label.name}
                </button>
              );
            })}
          </fieldset>
        )}
      </PermissionGate>
      <EditSelect
        id="task-category"
        label="Category"
        value={task.categoryId ?? ""}
        options={[
          { value: "", label: "No category" },
          ...props.categories.map((c) => ({ value: c.id, label: c.name })),
        ]}
        onChange={(categoryId) => save({ categoryId: categoryId || null })}
      />
    </>
  );
}
