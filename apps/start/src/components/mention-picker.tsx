import { mentionOf } from "@tandem/contracts/mentions";
import { useContext, useMemo } from "react";
import { OrgContext } from "../lib/org-context.tsx";
import { useMembers } from "../lib/queries.ts";

export type Mentionable = { id: string; name: string };

/** The `@query` being typed just before the caret (no spaces), or null. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)@([^\s@[\]()]{0,30})$/.exec(before);
  if (!match) return null;
  return { start: caret - (match[2]?.length ?? 0) - 1, query: match[2] ?? "" };
}

/** Replaces the `@query` at `start` with the member's mention markdown and a space. */
export function insertMention(text: string, start: number, caret: number, member: Mentionable) {
  const mention = `${mentionOf(member)} `;
  return { value: text.slice(0, start) + mention + text.slice(caret), caret: start + mention.length };
}

/** The org's members, when the editor is inside an org page (the picker has nobody to offer elsewhere). */
export function useMentionables(): Mentionable[] {
  const org = useContext(OrgContext);
  const members = useMembers(org?.id ?? "");
  return useMemo(
    () => (org ? (members.data ?? []).map((member) => ({ id: member.userId, name: member.name })) : []),
    [org, members.data],
  );
}

/** The member list under the editor while an `@` mention is typed. */
export function MentionList(props: { matches: Mentionable[]; active: number; onPick: (member: Mentionable) => void }) {
  if (!props.matches.length) return null;
  return (
    <div
      role="listbox"
      aria-label="Mention a member"
      data-testid="mention-picker"
      className="rounded-md border border-border bg-popover p-1 text-sm shadow-md"
    >
      {props.matches.map((member, index) => (
        <button
          key={member.id}
          type="button"
          role="option"
          aria-selected={index === props.active}
          className="block w-full rounded px-2 py-1 text-left aria-selected:bg-muted hover:bg-muted"
          // Keep the textarea's focus and caret: pick on mouse down.
          onMouseDown={(event) => {
            event.preventDefault();
            props.onPick(member);
          }}
        >
          @{member.name}
        </button>
      ))}
    </div>
  );
}
