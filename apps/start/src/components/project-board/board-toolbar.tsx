import { TASK_PRIORITIES, type TMember, type TTag, type TWorkflowState } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { Input } from "@tandem/ui/components/input";
import { Kbd } from "@tandem/ui/components/kbd";
import type { Ref } from "react";
import { PRIORITY_LABELS } from "../../lib/board-model.ts";
import type { BoardSearch, SetSearch } from "../../lib/board-search.ts";
import { GROUP_LABELS, GROUPS } from "../../lib/swimlanes.ts";
import { PermissionButton } from "../permission-button.tsx";

// Fixed width: options arrive with the labels and members, and must not reflow the header.
const filterSelect = "h-8 w-32 rounded-md border border-border bg-background px-2 text-sm";

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
      <select
        aria-label="Filter by state"
        className={filterSelect}
        value={search.state ?? ""}
        onChange={(e) => setSearch({ state: e.target.value || undefined })}
      >
        <option value="">All states</option>
        {props.states.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <select
        aria-label="Filter by priority"
        className={filterSelect}
        value={search.priority ?? ""}
        onChange={(e) => setSearch({ priority: e.target.value || undefined })}
      >
        <option value="">Any priority</option>
        {TASK_PRIORITIES.map((p) => (
          <option key={p} value={p}>
            {PRIORITY_LABELS[p]}
          </option>
        ))}
      </select>
      <select
        aria-label="Filter by label"
        className={filterSelect}
        value={search.label ?? ""}
        onChange={(e) => setSearch({ label: e.target.value || undefined })}
      >
        <option value="">Any label</option>
        {props.labels?.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name}
          </option>
        ))}
      </select>
      <select
        aria-label="Filter by assignee"
        className={filterSelect}
        value={search.assignee ?? ""}
        onChange={(e) => setSearch({ assignee: e.target.value || undefined })}
      >
        <option value="">Anyone</option>
        {props.members?.map((m) => (
          <option key={m.userId} value={m.userId}>
            {m.name}
          </option>
        ))}
      </select>
      <select
        aria-label="Group by"
        className={filterSelect}
        value={search.group ?? "none"}
        onChange={(e) => setSearch({ group: e.target.value === "none" ? undefined : e.target.value })}
      >
        {GROUPS.map((g) => (
          <option key={g} value={g}>
            {g === "none" ? "No swimlanes" : `By ${GROUP_LABELS[g].toLowerCase()}`}
          </option>
        ))}
      </select>
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
