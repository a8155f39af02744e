import type { TSavedView } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { Input } from "@tandem/ui/components/input";
import { type FormEvent, useState } from "react";
import type { BoardSearch } from "../../lib/board-search.ts";
import { useCan, useOrg } from "../../lib/org-context.tsx";
import { asGroup } from "../../lib/swimlanes.ts";
import { searchToFilters, useViewMutations, useViews } from "../../lib/views.ts";

/** Saved views (the member's own and the shared ones) for this project, and "save current". */
export function ViewsSidebar(props: { projectId: string; search: BoardSearch; onOpen: (view: TSavedView) => void }) {
  const org = useOrg();
  const views = useViews(org.id);
  const { create, remove } = useViewMutations(org.id);
  const canShare = useCan("tasks.edit");
  const [name, setName] = useState("");
  const [shared, setShared] = useState(false);
  const mine = (views.data ?? []).filter((v) => v.projectId === null || v.projectId === props.projectId);
  function save(event: FormEvent) {
    event.preventDefault();
    create.mutate(
      {
        name,
        projectId: props.projectId,
        shared,
        filters: searchToFilters(props.search),
        groupBy: asGroup(props.search.group),
        layout: props.search.layout ?? "board",
      },
      {
        onSuccess: (view) => {
          setName("");
          props.onOpen(view);
        },
      },
    );
  }
  return (
    <nav aria-label="Saved views" className="w-48 shrink-0 space-y-3 border-r border-border p-3" data-testid="views">
      <h2 className="text-xs font-semibold uppercase text-muted-foreground">Views</h2>
      <ul className="space-y-1">
        {mine.map((view) => (
          <li key={view.id} className="group flex items-center gap-1">
            <button
              type="button"
              className={`flex-1 truncate rounded px-2 py-1 text-left text-sm hover:bg-muted ${props.search.view === view.id ? "bg-muted font-medium" : ""}`}
              aria-current={props.search.view === view.id ? "page" : undefined}
              onClick={() => props.onOpen(view)}
            >
              {view.name}
              {view.ownerId === null ? <span className="ml-1 text-xs text-muted-foreground">shared</span> : null}
            </button>
            <button
              type="button"
              className="px-1 text-xs text-muted-foreground opacity-60 hover:opacity-100"
              aria-label={`Delete view ${view.name}`}
              onClick={() => remove.mutate(view.id)}
            >
              ×
            </button>
          </li>
        ))}
        {views.isSuccess && mine.length === 0 ? <li className="text-xs text-muted-foreground">No views yet.</li> : null}
      </ul>
      <form onSubmit={save} className="space-y-2">
        <Input
          aria-label="View name"
          placeholder="Save current as…"
          className="h-8"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
        />
        {canShare ? (
          <label className="flex items-center gap-2 text-xs">
            <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} />
            Share with the organization
          </label>
        ) : null}
        <Button type="submit" size="sm" variant="outline" className="w-full" disabled={create.isPending}>
          Save view
        </Button>
      </form>
    </nav>
  );
}
