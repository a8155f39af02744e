import type { TTaskStatus } from "@tandem/contracts";
import type { ReactNode, Ref } from "react";
import { STATUS_LABELS } from "../../lib/board-model.ts";

/**
 * A column of up to this many cards renders them all in place: virtualising it would cost the
 * first paint a render with no cards, then one per measured card (layout work each time).
 */
export const VIRTUAL_FROM = 40;

/** A status column's frame, the same for the static first paint and the draggable board. */
export function ColumnFrame(props: {
  status: TTaskStatus;
  count: number;
  isOver?: boolean;
  sectionRef?: Ref<HTMLElement>;
  scrollRef?: Ref<HTMLDivElement>;
  children: ReactNode;
}) {
  return (
    <section
      ref={props.sectionRef}
      data-testid={`column-${props.status}`}
      aria-label={STATUS_LABELS[props.status]}
      className={`flex w-72 shrink-0 flex-col rounded-xl bg-muted/50 ${props.isOver ? "ring-2 ring-ring" : ""}`}
    >
      <header className="flex items-center justify-between px-3 py-2 text-sm font-medium">
        <span>{STATUS_LABELS[props.status]}</span>
        <span className="text-xs text-muted-foreground" data-testid="column-count">
          {props.count}
        </span>
      </header>
      <div
        ref={props.scrollRef}
        className="min-h-24 flex-1 overflow-y-auto px-2 pb-2"
        style={{ maxHeight: "calc(100vh - 11rem)" }}
      >
        {props.children}
      </div>
    </section>
  );
}
