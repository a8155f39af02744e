import { Textarea } from "@tandem/ui/components/textarea";
import { type KeyboardEvent, type ReactNode, useId, useRef, useState } from "react";
import { MarkdownView } from "./markdown.tsx";
import { insertMention, type Mentionable, MentionList, mentionQuery, useMentionables } from "./mention-picker.tsx";

const tabClass =
  "rounded-md px-2 py-1 text-xs font-medium text-muted-foreground aria-selected:bg-muted aria-selected:text-foreground focus-visible:ring-2 focus-visible:ring-ring outline-none";

/**
 * A markdown textarea with Write / Preview tabs. Ctrl/Cmd+Enter submits. `children` are the
 * action buttons shown under it. Typing `@` in an org page opens a member picker (arrows, Enter
 * or Tab to pick, Escape to close) that inserts `@[Name](user:<id>)`.
 */
export function MarkdownEditor(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  onSubmit?: () => void;
  placeholder?: string;
  rows?: number;
  autoFocus?: boolean;
  children?: ReactNode;
}) {
  const [tab, setTab] = useState<"write" | "preview">("write");
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const members = useMentionables();
  const [mention, setMention] = useState<{ start: number; query: string } | null>(null);
  const [active, setActive] = useState(0);
  const matches = mention
    ? members.filter((m) => m.name.toLowerCase().includes(mention.query.toLowerCase())).slice(0, 6)
    : [];
  const track = (text: string, caret: number) => {
    setMention(members.length ? mentionQuery(text, caret) : null);
    setActive(0);
  };
  const pick = (member: Mentionable) => {
    const textarea = area.current;
    if (!mention || !textarea) return;
    const next = insertMention(props.value, mention.start, textarea.selectionStart, member);
    props.onChange(next.value);
    setMention(null);
    requestAnimationFrame(() => textarea.setSelectionRange(next.caret, next.caret));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (matches.length && ["ArrowDown", "ArrowUp", "Enter", "Tab", "Escape"].includes(event.key)) {
      event.preventDefault();
      if (event.key === "ArrowDown") setActive((active + 1) % matches.length);
      else if (event.key === "ArrowUp") setActive((active + matches.length - 1) % matches.length);
      else if (event.key === "Escape") setMention(null);
      else {
        const member = matches[active];
        if (member) pick(member);
      }
      return;
    }
    if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      props.onSubmit?.();
    }
  };
  return (
    <div className="space-y-2">
      <div role="tablist" aria-label={`${props.label}: write or preview`} className="flex gap-1">
        {(["write", "preview"] as const).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`${id}-${name}`}
            aria-selected={tab === name}
            aria-controls={`${id}-panel`}
            className={tabClass}
            onClick={() => setTab(name)}
          >
            {name === "write" ? "Write" : "Preview"}
          </button>
        ))}
      </div>
      <div id={`${id}-panel`} role="tabpanel" aria-labelledby={`${id}-${tab}`}>
        {tab === "write" ? (
          <Textarea
            ref={area}
            aria-label={props.label}
            value={props.value}
            rows={props.rows ?? 4}
            placeholder={props.placeholder}
            autoFocus={props.autoFocus}
            onChange={(event) => {
              props.onChange(event.target.value);
              track(event.target.value, event.target.selectionStart);
            }}
            onKeyDown={onKeyDown}
            onBlur={() => setMention(null)}
          />
        ) : (
          <MarkdownView
            data-testid="markdown-preview"
            source={props.value.trim() ? props.value : "_Nothing to preview._"}
            className="min-h-20 rounded-md border border-border p-3"
          />
        )}
      </div>
      {tab === "write" ? <MentionList matches={matches} active={active} onPick={pick} /> : null}
      {props.children ? <div className="flex flex-wrap justify-end gap-2">{props.children}</div> : null}
    </div>
  );
}
