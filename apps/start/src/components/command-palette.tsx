import { TASK_PRIORITIES, type TProjectWithStates, type TTask, type TWorkflowState } from "@tandem/contracts";
import {
  CommandDialog,
  CommandEmpty,
  CommandGroup,
  CommandInput,
  CommandItem,
  CommandList,
} from "@tandem/ui/components/command";
import { useNavigate } from "@tanstack/react-router";
import { PRIORITY_LABELS } from "../lib/board-model.ts";
import type { BulkPatch } from "../lib/bulk.ts";
import { useMe } from "../lib/queries.ts";

/**
 * Cmd/Ctrl+K: go to a task, switch org, change the keyboard-selected task's state, or change
 * every multi-selected task at once.
 */
export function CommandPalette(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  tasks: TTask[];
  states: TWorkflowState[];
  selected: TTask | undefined;
  /** The multi-selection. */
  picked: TTask[];
  onOpenTask: (task: TTask) => void;
  onSetState: (task: TTask, stateId: string) => void;
  onBulk: (patch: BulkPatch) => void;
  projects: TProjectWithStates[];
  onSwitchProject: (key: string) => void;
}) {
  const me = useMe();
  const navigate = useNavigate();
  const close = () => props.onOpenChange(false);
  return (
    <CommandDialog open={props.open} onOpenChange={props.onOpenChange}>
      <CommandInput placeholder="Type a command or search…" />
      <CommandList>
        <CommandEmpty>No results.</CommandEmpty>
        {props.picked.length > 0 ? (
          <CommandGroup heading={`${props.picked.length} selected tasks`}>
            {props.states.map((state) => (
              <CommandItem
                key={state.id}
                value={`move selected to ${state.name}`}
                onSelect={() => {
                  props.onBulk({ stateId: state.id });
                  close();
                }}
              >
                Move {props.picked.length} selected to {state.name}
              </CommandItem>
            ))}
            {TASK_PRIORITIES.map((priority) => (
              <CommandItem
                key={priority}
                value={`set priority of selected ${PRIORITY_LABELS[priority]}`}
                onSelect={() => {
                  props.onBulk({ priority });
                  close();
                }}
              >
                Set priority of {props.picked.length} selected: {PRIORITY_LABELS[priority]}
              </CommandItem>
            ))}
            <CommandItem
              value="clear due date of selected"
              onSelect={() => {
                props.onBulk({ dueDate: null });
                close();
              }}
            >
              Clear the due date of {props.picked.length} selected
            </CommandItem>
          </CommandGroup>
        ) : props.selected ? (
          <CommandGroup heading={`Set state of ${props.selected.key}`}>
            {props.states.map((state) => (
              <CommandItem
                key={state.id}
                value={`move to ${state.name}`}
                onSelect={() => {
                  if (props.selected) props.onSetState(props.selected, state.id);
                  close();
                }}
              >
                Move to {state.name}
              </CommandItem>
            ))}
          </CommandGroup>
        ) : null}
        <CommandGroup heading="Tasks">
          {props.tasks.slice(0, 200).map((task) => (
            <CommandItem
              key={task.id}
              value={`${task.key} ${task.title}`}
              onSelect={() => {
                props.onOpenTask(task);
                close();
              }}
            >
              <span className="mr-2 font-mono text-xs text-muted-foreground">{task.key}</span>
              {task.title}
            </CommandItem>
          ))}
        </CommandGroup>
        <CommandGroup heading="Switch project">
          {props.projects
            .filter((project) => !project.archived)
            .map((project) => (
              <CommandItem
                key={project.id}
                value={`project ${project.name} ${project.key}`}
                onSelect={() => {
                  props.onSwitchProject(project.key);
                  close();
                }}
              >
                {project.name} <span className="ml-2 font-mono text-xs text-muted-foreground">{project.key}</span>
              </CommandItem>
            ))}
        </CommandGroup>
        <CommandGroup heading="Switch organization">
          {me.data?.orgs.map((org) => (
            <CommandItem
              key={org.id}
              value={`org ${org.name}`}
              onSelect={() => {
                void navigate({ to: "/o/$slug", params: { slug: org.slug } });
                close();
              }}
            >
              {org.name}
            </CommandItem>
          ))}
        </CommandGroup>
      </CommandList>
    </CommandDialog>
  );
}
