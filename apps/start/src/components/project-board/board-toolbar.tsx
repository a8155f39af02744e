import { TASK_PRIORITIES, type TMember, type TTag, type TWorkflowState } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { Input } from "@tandem/ui/components/input";
import { Kbd } from "@tandem/ui/components/kbd";
import type { Ref } from "react";
import { PRIORITY_LABELS } from "../../lib/board-model.ts";
import type { BoardSearch, SetSearch } from "../../lib/board-search.ts";
import { GROUP_LABELS, GROUPS } from "../../lib/swimlanes.ts";
import { CompactSelect } from "../field-select.tsx";
import { PermissionButton } from "../permission-button.tsx";

// Fixed width: options arrive with the labels and members, and must not reflow the header.
const filterSelect = "h-8 w-32 rounded-md border border-border bg-background px-2 text-sm";
const PRIORITY_OPTIONS = TASK_PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABELS[p] }));

/** Search, filters, swimlanes, layout and "New task". */
export function BoardToolbar(props: {
  search: BoardSearch;
  setSearch: SetSearch;
  states: TWorkflowState[];
  labels: TTag[] | undefined;
  members: TMember[] | undefined;
  searchRef: Ref<HTMLInputElement>;
  onCreate: () => void;
}) {
  const { search, setSearch } = props;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Input
        ref={props.searchRef}
        aria-label="Search tasks"
        placeholder="Search…  /"
        className="h-8 w-40"
        defaultValue={search.q ?? ""}
        onChange={(e) => setSearch({ q: e.target.value || undefined })}
      />
      <CompactSelect
        label="Filter by state"
        className={filterSelect}
        value={search.state ?? ""}
        placeholder="All states"
        options={props.states.map((s) => ({ value: s.id, label: s.name }))}
        onChange={(state) => setSearch({ state: state || undefined })}
      />
      <CompactSelect
        label="Filter by priority"
        className={filterSelect}
        value={search.priority ?? ""}
        placeholder="Any priority"
        options={PRIORITY_OPTIONS}
        onChange={(priority) => setSearch({ priority: priority || undefined })}
      />
      <CompactSelect
        label="Filter by label"
        className={filterSelect}
        value={search.label ?? ""}
        placeholder="Any label"
        options={(props.labels ?? []).map((l) => ({ value: l.id, label: l.name }))}
        onChange={(label) => setSearch({ label: label || undefined })}
      />
      <CompactSelect
        label="Filter by assignee"
        className={filterSelect}
        value={search.assignee ?? ""}
        placeholder="Anyone"
        options={(props.members ?? []).map((m) => ({ value: m.userId, label: m.name }))}
        onChange={(assignee) => setSearch({ assignee: assignee || undefined })}
      />
      <CompactSelect
        label="Group by"
        className={filterSelect}
        value={search.group ?? "none"}
        options={GROUPS.map((g) => ({
          value: g,
          label: g === "none" ? "No swimlanes" : `By ${GROUP_LABELS[g].toLowerCase()}`,
        }))}
        onChange={(group) => setSearch({ group: group === "none" ? undefined : group })}
      />
      <Button
        variant="outline"
        size="sm"
        onClick={() => setSearch({ layout: search.layout === "list" ? undefined : "list" })}
      >
        {search.layout === "list" ? "Board view" : "List view"}
      </Button>
      <PermissionButton permission="tasks.create" size="sm" onClick={props.onCreate}>
        New task <Kbd className="ml-1">C</Kbd>
      </PermissionButton>
    </div>
  );
}
