import type { TMember } from "@tandem/contracts";
import { Avatar } from "@tandem/ui/components/avatar";
import { createContext, useContext } from "react";

type MemberMap = ReadonlyMap<string, Pick<TMember, "name" | "image">>;

/** The org's members by user id, for cards and rows that show assignees (absent on the public board). */
export const MembersContext = createContext<MemberMap>(new Map());

/** Overlapping avatars (initials when there is no picture) of a task's assignees. */
export function AssigneeAvatars({ ids, max = 3 }: { ids: readonly string[]; max?: number }) {
  const members = useContext(MembersContext);
  const people = ids.flatMap((id) => {
    const member = members.get(id);
    return member ? [{ id, ...member }] : [];
  });
  if (!people.length) return null;
  const hidden = people.length - max;
  return (
    <span data-testid="assignees" className="flex shrink-0 items-center -space-x-1.5">
      {people.slice(0, max).map((person) => (
        <Avatar key={person.id} name={person.name} image={person.image} size="sm" className="ring-2 ring-card" />
      ))}
      {hidden > 0 ? (
        <span
          title={people
            .slice(max)
            .map((p) => p.name)
            .join(", ")}
          className="inline-flex size-6 items-center justify-center rounded-full bg-muted text-[0.625rem] ring-2 ring-card"
        >
          +{hidden}
        </span>
      ) : null}
    </span>
  );
}
