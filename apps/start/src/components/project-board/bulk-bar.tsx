import { TASK_PRIORITIES, type TMember, type TWorkflowState } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { PRIORITY_LABELS } from "../../lib/board-model.ts";
import type { BulkPatch } from "../../lib/bulk.ts";

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
      <select
        aria-label="Set state of selected"
        className={select}
        value=""
        onChange={(e) => e.target.value && props.onApply({ stateId: e.target.value })}
      >
        <option value="">State…</option>
        {props.states.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <select
        aria-label="Set priority of selected"
        className={select}
        value=""
        onChange={(e) => e.target.value && props.onApply({ priority: e.target.value as BulkPatch["priority"] })}
      >
        <option value="">Priority…</option>
        {TASK_PRIORITIES.map((p) => (
          <option key={p} value={p}>
            {PRIORITY_LABELS[p]}
          </option>
        ))}
      </select>
      <select
        aria-label="Assign selected to"
        className={select}
        value=""
        onChange={(e) =>
          e.target.value && props.onApply({ assigneeIds: e.target.value === "none" ? [] : [e.target.value] })
        }
      >
        <option value="">Assignee…</option>
        <option value="none">Nobody</option>
        {props.members.map((m) => (
          <option key={m.userId} value={m.userId}>
            {m.name}
          </option>
        ))}
      </select>
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
