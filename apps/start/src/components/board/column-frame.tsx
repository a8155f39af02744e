import { CATEGORY_STATUS, type TWorkflowState } from "@tandem/contracts";
import type { ReactNode, Ref } from "react";

/**
 * A column of up to this many cards renders them all in place: virtualising it would cost the
 * first paint a render with no cards, then one per measured card (layout work each time).
 */
export const VIRTUAL_FROM = 40;

/**
 * A column's test id: `column-<status>` for the first state of each category (what a board of
 * the default workflow has always been addressed by), `column-<stateId>` for the others.
 */
export function columnTestId(state: TWorkflowState, states: readonly TWorkflowState[]): string {
  const first = states.find((s) => s.category === state.category);
  return first?.id === state.id ? `column-${CATEGORY_STATUS[state.category]}` : `column-${state.id}`;
}

/** A workflow state's column frame, the same for the static first paint and the draggable board. */
export function ColumnFrame(props: {
  state: TWorkflowState;
  testId: string;
  count: number;
  isOver?: boolean;
  sectionRef?: Ref<HTMLElement>;
  scrollRef?: Ref<HTMLDivElement>;
  /** Shorter when the board has swimlanes: each lane is a row of columns. */
  compact?: boolean;
  children: ReactNode;
}) {
  return (
    <section
      ref={props.sectionRef}
      data-testid={props.testId}
      data-state-name={props.state.name}
      data-state-id={props.state.id}
      aria-label={props.state.name}
      className={`flex w-72 shrink-0 flex-col rounded-xl bg-muted/50 ${props.isOver ? "ring-2 ring-ring" : ""}`}
    >
      <header className="flex items-center justify-between px-3 py-2 text-sm font-medium">
        <span className="inline-flex items-center gap-2">
          <span className="size-2.5 rounded-full" style={{ background: props.state.color }} aria-hidden />
          {props.state.name}
        </span>
        <span className="text-xs text-muted-foreground" data-testid="column-count">
          {props.count}
        </span>
      </header>
      <div
        ref={props.scrollRef}
        className="min-h-24 flex-1 overflow-y-auto px-2 pb-2"
        style={{ maxHeight: props.compact ? "24rem" : "calc(100vh - 11rem)" }}
      >
        {props.children}
      </div>
    </section>
  );
}
