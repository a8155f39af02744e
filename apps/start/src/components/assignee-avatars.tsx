import type { TExternalUser, TMember } from "@tandem/contracts";
import { Avatar } from "@tandem/ui/components/avatar";
import { createContext, useContext } from "react";

type MemberMap = ReadonlyMap<string, Pick<TMember, "name" | "image">>;

/** The org's members by user id, for cards and rows that show assignees (absent on the public board). */
export const MembersContext = createContext<MemberMap>(new Map());

/**
 * Overlapping avatars (initials when there is no picture) of a task's assignees, then those
 * assigned on GitHub who have no Tandem account (by login, with their GitHub avatar).
 */
export function AssigneeAvatars({
  ids,
  external = [],
  max = 3,
}: {
  ids: readonly string[];
  external?: readonly TExternalUser[];
  max?: number;
}) {
  const members = useContext(MembersContext);
  const people: { id: string; name: string; label: string; image?: string | null }[] = [
    ...ids.flatMap((id) => {
      const member = members.get(id);
      return member ? [{ id, name: member.name, label: member.name, image: member.image }] : [];
    }),
    ...external.map((user) => ({
      id: `github:${user.login}`,
      name: user.login,
      label: `${user.login} (GitHub)`,
      image: user.avatarUrl,
    })),
  ];
  if (!people.length) return null;
  const hidden = people.length - max;
  return (
    <span data-testid="assignees" className="flex shrink-0 items-center -space-x-1.5">
      {people.slice(0, max).map((person) => (
        <Avatar
          key={person.id}
          name={person.name}
          aria-label={person.label}
          title={person.label}
          image={person.image}
          size="sm"
          className="ring-2 ring-card"
        />
      ))}
      {hidden > 0 ? (
        <span
          title={people
            .slice(max)
            .map((p) => p.label)
            .join(", ")}
          className="inline-flex size-6 items-center justify-center rounded-full bg-muted text-[0.625rem] ring-2 ring-card"
        >
          +{hidden}
        </span>
      ) : null}
    </span>
  );
}
