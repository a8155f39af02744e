import { STATE_CATEGORIES, type TProjectWithStates, type TStateCategory, type TWorkflowState } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { Input } from "@tandem/ui/components/input";
import { Label } from "@tandem/ui/components/label";
import { type FormEvent, useState } from "react";
import { useOrg } from "../../lib/org-context.tsx";
import { useProjectMutations, useProjects } from "../../lib/projects.ts";
import { ProjectLifecycle } from "./project-lifecycle.tsx";
import { ProjectPublicSettings } from "./project-public-settings.tsx";

// A select sized by its row (the shared select class fills its container).
const inlineSelect = "h-8 rounded-md border border-border bg-background px-2 text-sm";

const CATEGORY_LABELS: Record<TStateCategory, string> = {
  backlog: "Backlog",
  unstarted: "Unstarted",
  started: "Started",
  completed: "Completed",
  canceled: "Canceled",
};

type Mutations = ReturnType<typeof useProjectMutations>;

/** One state: rename, recolour, move up or down, delete with a state to move its tasks to. */
function StateRow(props: { project: TProjectWithStates; state: TWorkflowState; index: number; mutations: Mutations }) {
  const { project, state, index, mutations } = props;
  const others = project.states.filter((s) => s.id !== state.id);
  const [moveTo, setMoveTo] = useState(others.find((s) => s.category === state.category)?.id ?? others[0]?.id ?? "");
  const patch = (value: { name?: string; color?: string; position?: number }) =>
    mutations.updateState.mutate({ projectId: project.id, stateId: state.id, patch: value });
  // Up and down swap the positions of the state and its neighbour.
  const swap = (other: TWorkflowState | undefined) => {
    if (!other) return;
    mutations.updateState.mutate({ projectId: project.id, stateId: other.id, patch: { position: state.position } });
    patch({ position: other.position });
  };
  return (
    <li className="flex flex-wrap items-center gap-2" data-testid="state-row" data-state-name={state.name}>
      <input
        type="color"
        aria-label={`Colour of ${state.name}`}
        className="h-8 w-10 rounded border border-border"
        defaultValue={state.color}
        onBlur={(e) => e.target.value !== state.color && patch({ color: e.target.value })}
      />
      <Input
        aria-label={`Name of ${state.name}`}
        className="h-8 w-40"
        defaultValue={state.name}
        key={state.name}
        onBlur={(e) => e.target.value.trim() && e.target.value !== state.name && patch({ name: e.target.value.trim() })}
      />
      <span className="w-24 text-xs text-muted-foreground">{CATEGORY_LABELS[state.category]}</span>
      <Button
        size="sm"
        variant="ghost"
        aria-label={`Move ${state.name} up`}
        disabled={index === 0}
        onClick={() => swap(project.states[index - 1])}
      >
        ↑
      </Button>
      <Button
        size="sm"
        variant="ghost"
        aria-label={`Move ${state.name} down`}
        disabled={index === project.states.length - 1}
        onClick={() => swap(project.states[index + 1])}
      >
        ↓
      </Button>
      <select
        aria-label={`Move tasks of ${state.name} to`}
        className={`${inlineSelect} w-36`}
        value={moveTo}
        onChange={(e) => setMoveTo(e.target.value)}
      >
        {others.map((s) => (
          <option key={s.id} value={s.id}>
            → {s.name}
          </option>
        ))}
      </select>
      <Button
        size="sm"
        variant="outline"
        aria-label={`Delete state ${state.name}`}
        onClick={() =>
          mutations.deleteState.mutate({ projectId: project.id, stateId: state.id, moveTo: moveTo || undefined })
        }
      >
        Delete
      </Button>
    </li>
  );
}

function AddState({ project, mutations }: { project: TProjectWithStates; mutations: Mutations }) {
  const [name, setName] = useState("");
  const [category, setCategory] = useState<TStateCategory>("started");
  const [color, setColor] = useState("#6366f1");
  function submit(event: FormEvent) {
    event.preventDefault();
    // Placed after the last state of its category, like Linear.
    const last = [...project.states].reverse().find((s) => s.category === category);
    const position = last ? last.position + 1 : project.states.length;
    mutations.createState.mutate(
      { projectId: project.id, input: { name, category, color, position } },
      { onSuccess: () => setName("") },
    );
  }
  return (
    <form onSubmit={submit} className="flex flex-wrap items-center gap-2">
      <input
        type="color"
        aria-label="New state colour"
        className="h-8 w-10 rounded border border-border"
        value={color}
        onChange={(e) => setColor(e.target.value)}
      />
      <Input
        aria-label="New state name"
        placeholder="New state"
        className="h-8 w-40"
        value={name}
        onChange={(e) => setName(e.target.value)}
        required
      />
      <select
        aria-label="New state category"
        className={`${inlineSelect} w-32`}
        value={category}
        onChange={(e) => setCategory(e.target.value as TStateCategory)}
      >
        {STATE_CATEGORIES.map((c) => (
          <option key={c} value={c}>
            {CATEGORY_LABELS[c]}
          </option>
        ))}
      </select>
      <Button type="submit" size="sm" disabled={mutations.createState.isPending}>
        Add state
      </Button>
    </form>
  );
}

/** Settings of the org's projects: name, key, workflow states, public board, archive and delete. */
export function ProjectsSettings() {
  const org = useOrg();
  const projects = useProjects(org.id);
  const mutations = useProjectMutations(org.id);
  const [chosen, setChosen] = useState<string | null>(null);
  const project = projects.data?.find((p) => p.id === chosen) ?? projects.data?.[0];
  const live = projects.data?.filter((p) => !p.archived) ?? [];
  return (
    <section aria-labelledby="projects-heading" className="space-y-4" data-testid="projects-settings">
      <h2 id="projects-heading" className="text-lg font-semibold">
        Projects
      </h2>
      <div className="space-y-1.5">
        <Label htmlFor="settings-project">Project</Label>
        <select
          id="settings-project"
          className="h-9 w-64 rounded-md border border-border bg-background px-2 text-sm"
          value={project?.id ?? ""}
          onChange={(e) => setChosen(e.target.value)}
        >
          {projects.data?.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.key}){p.archived ? " · archived" : ""}
            </option>
          ))}
        </select>
      </div>
      {project ? (
        <div key={project.id} className="space-y-4">
          <div className="grid grid-cols-2 gap-3">
            <div className="space-y-1.5">
              <Label htmlFor="project-name-setting">Project name</Label>
              <Input
                id="project-name-setting"
                defaultValue={project.name}
                onBlur={(e) =>
                  e.target.value !== project.name &&
                  mutations.updateProject.mutate({ projectId: project.id, patch: { name: e.target.value } })
                }
              />
            </div>
            <div className="space-y-1.5">
              <Label htmlFor="project-key-setting">Project key</Label>
              <Input
                id="project-key-setting"
                defaultValue={project.key}
                onBlur={(e) => {
                  const key = e.target.value.toUpperCase();
                  if (key !== project.key) mutations.updateProject.mutate({ projectId: project.id, patch: { key } });
                }}
              />
            </div>
          </div>
          <h3 className="font-medium">Workflow states</h3>
          <ul className="space-y-2">
            {project.states.map((state, index) => (
              <StateRow key={state.id} project={project} state={state} index={index} mutations={mutations} />
            ))}
          </ul>
          <AddState project={project} mutations={mutations} />
          <ProjectPublicSettings project={project} mutations={mutations} />
          <ProjectLifecycle
            orgId={org.id}
            project={project}
            last={!project.archived && live.length <= 1}
            mutations={mutations}
            onDeleted={() => setChosen(null)}
          />
        </div>
      ) : null}
    </section>
  );
}
