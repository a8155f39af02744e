import { TASK_STATUSES, type TTask } from "@tandem/contracts";
import {
  CommandDialog,
  CommandEmpty,
  CommandGroup,
  CommandInput,
  CommandItem,
  CommandList,
} from "@tandem/ui/components/command";
import { useNavigate } from "@tanstack/react-router";
import { STATUS_LABELS } from "../lib/board-model.ts";
import { useMe } from "../lib/queries.ts";

/** Cmd/Ctrl+K: go to a task, switch org, or change the selected task's status. */
export function CommandPalette(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  tasks: TTask[];
  selected: TTask | undefined;
  onOpenTask: (task: TTask) => void;
  onSetStatus: (task: TTask, status: TTask["status"]) => void;
}) {
  const me = useMe();
  const navigate = useNavigate();
  const close = () => props.onOpenChange(false);
  return (
    <CommandDialog open={props.open} onOpenChange={props.onOpenChange}>
      <CommandInput placeholder="Type a command or search…" />
      <CommandList>
        <CommandEmpty>No results.</CommandEmpty>
        {props.selected ? (
          <CommandGroup heading={`Set status of ${props.selected.key}`}>
            {TASK_STATUSES.map((status) => (
              <CommandItem
                key={status}
                onSelect={() => {
                  if (props.selected) props.onSetStatus(props.selected, status);
                  close();
                }}
              >
                Move to {STATUS_LABELS[status]}
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
