import type { TMember } from "@tandem/contracts";
import { Avatar, AvatarStack } from "@tandem/ui/components/avatar";
import { Button } from "@tandem/ui/components/button";
import { Command, CommandEmpty, CommandInput, CommandItem, CommandList } from "@tandem/ui/components/command";
import { Label } from "@tandem/ui/components/label";
import { Popover, PopoverContent, PopoverTrigger } from "@tandem/ui/components/popover";
import { CheckIcon } from "lucide-react";

// Substring match on the name and e-mail: fuzzy matching finds "car" in any long address.
const filter = (_value: string, search: string, keywords?: string[]) =>
  keywords?.some((k) => k.toLowerCase().includes(search.trim().toLowerCase())) ? 1 : 0;

/** Several assignees, picked from a searchable list of members (Enter or click toggles one). */
export function AssigneePicker(props: {
  assigneeIds: string[];
  members: TMember[];
  disabled: boolean;
  describedBy?: string | undefined;
  onChange: (userIds: string[]) => void;
}) {
  const chosen = props.assigneeIds
    .map((id) => props.members.find((m) => m.userId === id))
    .filter((m): m is TMember => Boolean(m))
    .sort((a, b) => a.name.localeCompare(b.name));
  const toggle = (userId: string) =>
    props.onChange(
      props.assigneeIds.includes(userId)
        ? props.assigneeIds.filter((id) => id !== userId)
        : [...props.assigneeIds, userId],
    );
  return (
    <div className="space-y-1">
      <Label id="task-assignees-label" htmlFor="task-assignees">
        Assignees
      </Label>
      <Popover>
        <PopoverTrigger asChild>
          {/* Named by the label and the value, so what is shown is part of the name (WCAG 2.5.3). */}
          <Button
            id="task-assignees"
            variant="outline"
            disabled={props.disabled}
            aria-describedby={props.describedBy}
            aria-labelledby="task-assignees-label task-assignees-value"
            className="h-9 w-full justify-start px-2 font-normal"
          >
            {chosen.length ? (
              <>
                <AvatarStack
                  users={chosen.map((m) => ({ id: m.userId, name: m.name, image: m.image }))}
                  size="sm"
                  max={4}
                  aria-hidden="true"
                />
                <span id="task-assignees-value" className="sr-only">
                  {chosen.map((m) => m.name).join(", ")}
                </span>
              </>
            ) : (
              <span id="task-assignees-value" className="text-muted-foreground">
                Unassigned
              </span>
            )}
          </Button>
        </PopoverTrigger>
        <PopoverContent className="w-64 p-0" align="start">
          <Command filter={filter}>
            <CommandInput placeholder="Assign to…" aria-label="Find a member" />
            <CommandList label="Members">
              <CommandEmpty>No member matches.</CommandEmpty>
              {props.members.map((member) => {
                const on = props.assigneeIds.includes(member.userId);
                return (
                  <CommandItem
                    key={member.userId}
                    value={member.userId}
                    keywords={[member.name, member.email]}
                    aria-checked={on}
                    onSelect={() => toggle(member.userId)}
                  >
                    <Avatar name={member.name} image={member.image} size="sm" aria-hidden="true" />
                    <span className="flex-1 truncate">{member.name}</span>
                    {on ? <CheckIcon aria-hidden="true" /> : null}
                  </CommandItem>
                );
              })}
            </CommandList>
          </Command>
        </PopoverContent>
      </Popover>
    </div>
  );
}
