import type { TProjectWithStates } from "@tandem/contracts";
import { Suspense, useState } from "react";
import { lazyRetry } from "../../lib/lazy-retry.ts";
import { useCan } from "../../lib/org-context.tsx";

const CreateProjectDialog = lazyRetry(() =>
  import("./create-project-dialog.tsx").then((m) => ({ default: m.CreateProjectDialog })),
);

/** The project switcher: a select of the org's projects, and "New project" for those who may. */
export function ProjectSwitcher(props: {
  projects: TProjectWithStates[];
  current: TProjectWithStates;
  onSwitch: (key: string) => void;
}) {
  const canManage = useCan("admin.manageProjects");
  const [creating, setCreating] = useState(false);
  return (
    <div className="flex items-center gap-1">
      <select
        aria-label="Project"
        data-testid="project-switcher"
        className="h-8 rounded-md border border-border bg-background px-2 text-sm font-medium"
        value={props.current.key}
        onChange={(event) => {
          if (event.target.value === "__new") setCreating(true);
          else props.onSwitch(event.target.value);
        }}
      >
        {props.projects
          .filter((p) => !p.archived || p.id === props.current.id)
          .map((project) => (
            <option key={project.id} value={project.key}>
              {project.name} ({project.key})
            </option>
          ))}
        {canManage ? <option value="__new">+ New project…</option> : null}
      </select>
      {creating ? (
        <Suspense fallback={null}>
          <CreateProjectDialog open={creating} onOpenChange={setCreating} onCreated={props.onSwitch} />
        </Suspense>
      ) : null}
    </div>
  );
}
