import { TASK_PRIORITIES, type TMember, type TWorkflowState } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { PRIORITY_LABELS } from "../../lib/board-model.ts";
import type { BulkPatch } from "../../lib/bulk.ts";
import { CompactSelect } from "../field-select.tsx";

const select = "h-8 rounded-md border border-border bg-background px-2 text-sm";

/** Shown while cards are selected: one change for all of them, or clear the selection. */
export function BulkBar(props: {
  count: number;
  states: TWorkflowState[];
  members: TMember[];
  onApply: (patch: BulkPatch) => void;
  onClear: () => void;
}) {
  return (
    <div
      role="toolbar"
      aria-label="Bulk actions"
      data-testid="bulk-bar"
      className="fixed inset-x-0 bottom-4 z-40 mx-auto flex w-fit flex-wrap items-center gap-2 rounded-xl border border-border bg-background px-4 py-2 shadow-lg"
    >
      <span className="text-sm font-medium" data-testid="bulk-count">
        {props.count} selected
      </span>
      <CompactSelect
        label="Set state of selected"
        className={select}
        value=""
        placeholder="State…"
        options={props.states.map((s) => ({ value: s.id, label: s.name }))}
        onChange={(stateId) => stateId && props.onApply({ stateId })}
      />
      <CompactSelect
        label="Set priority of selected"
        className={select}
        value=""
        placeholder="Priority…"
        options={TASK_PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABELS[p] }))}
        onChange={(priority) => priority && props.onApply({ priority: priority as BulkPatch["priority"] })}
      />
      <CompactSelect
        label="Assign selected to"
        className={select}
        value=""
        placeholder="Assignee…"
        options={[
          { value: "none", label: "Nobody" },
          ...props.members.map((m) => ({ value: m.userId, label: m.name })),
        ]}
        onChange={(id) => id && props.onApply({ assigneeIds: id === "none" ? [] : [id] })}
      />
      <input
        type="date"
        aria-label="Due date of selected"
        className={select}
        onChange={(e) => props.onApply({ dueDate: e.target.value || null })}
      />
      <Button size="sm" variant="ghost" onClick={props.onClear}>
        Clear
      </Button>
    </div>
  );
}
