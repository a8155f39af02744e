import { Button } from "@tandem/ui/components/button";
import { useState } from "react";

/** A credential just created (an API key, a signing secret), shown this once with a copy button. */
export function ShownOnce(props: { value: string; what: string; testId: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="status" className="space-y-2 rounded-lg border border-border p-4">
      <p className="text-sm font-medium">Copy this {props.what} now: it will not be shown again.</p>
      <code data-testid={props.testId} className="block break-all rounded bg-muted p-2 text-xs">
        {props.value}
      </code>
      <div className="flex gap-2">
        <Button
          size="sm"
          onClick={() =>
            void navigator.clipboard.writeText(props.value).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? "Copied" : `Copy ${props.what.split(" ").at(-1)}`}
        </Button>
        <Button size="sm" variant="ghost" onClick={props.onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}
