import { Button } from "@tandem/ui/components/button";
import type { ReactNode } from "react";

/** Shown over a field someone else changed while this user had unsaved input in it. */
export function ConflictNotice(props: {
  testId: string;
  who: string;
  field: string;
  theirs: ReactNode;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
}) {
  return (
    <div
      role="alert"
      data-testid={props.testId}
      className="space-y-2 rounded-md border border-amber-500/60 bg-amber-50 p-3 text-sm dark:bg-amber-950/40"
    >
      <p>
        <strong>{props.who}</strong> changed the {props.field} while you were editing. Their version:
      </p>
      <div className="max-h-40 overflow-y-auto rounded border border-border bg-background p-2">{props.theirs}</div>
      <div className="flex gap-2">
        <Button size="sm" onClick={props.onKeepMine}>
          Keep mine
        </Button>
        <Button size="sm" variant="outline" onClick={props.onTakeTheirs}>
          Take theirs
        </Button>
      </div>
    </div>
  );
}
