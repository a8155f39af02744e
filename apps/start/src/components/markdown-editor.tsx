import { Textarea } from "@tandem/ui/components/textarea";
import { type KeyboardEvent, type ReactNode, useId, useState } from "react";
import { MarkdownView } from "./markdown.tsx";

const tabClass =
  "rounded-md px-2 py-1 text-xs font-medium text-muted-foreground aria-selected:bg-muted aria-selected:text-foreground focus-visible:ring-2 focus-visible:ring-ring outline-none";

/**
 * A markdown textarea with Write / Preview tabs. Ctrl/Cmd+Enter submits. `children` are the
 * action buttons shown under it.
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
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
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
            aria-label={props.label}
            value={props.value}
            rows={props.rows ?? 4}
            placeholder={props.placeholder}
            autoFocus={props.autoFocus}
            onChange={(event) => props.onChange(event.target.value)}
            onKeyDown={onKeyDown}
          />
        ) : (
          <MarkdownView
            data-testid="markdown-preview"
            source={props.value.trim() ? props.value : "_Nothing to preview._"}
            className="min-h-20 rounded-md border border-border p-3"
          />
        )}
      </div>
      {props.children ? <div className="flex flex-wrap justify-end gap-2">{props.children}</div> : null}
    </div>
  );
}
