import type { TTask } from "@tandem/contracts";
import { memo, startTransition, useEffect, useMemo, useState } from "react";
import { BoardLanes, type BoardProps, layOut } from "./board-lanes.tsx";
import { ColumnFrame, columnTestId, VIRTUAL_FROM } from "./column-frame.tsx";
import type { Kanban as KanbanComponent } from "./kanban.tsx";
import { StaticTaskCard } from "./task-card-body.tsx";

// Once loaded, every later board (another org, back from the list view) is draggable at once.
let loaded: typeof KanbanComponent | null = null;

/**
 * The board: its cards paint first without dnd-kit (a third of the board's JavaScript), which
 * loads once they are on screen and takes over with the same columns and cards.
 */
export function Board(props: BoardProps) {
  const [Kanban, setKanban] = useState(() => loaded);
  const hasCards = props.lanes.some((lane) => lane.tasks.length > 0);
  useEffect(() => {
    if (Kanban || !hasCards) return;
    let active = true;
    // After the frame that paints the cards: the module's download and start-up wait for it.
    const frame = requestAnimationFrame(() => {
      void import("./kanban.tsx").then((module) => {
        loaded = module.Kanban;
        // A background render: the page stays responsive while the cards change hands.
        if (active) startTransition(() => setKanban(() => module.Kanban));
      });
    });
    return () => {
      active = false;
      cancelAnimationFrame(frame);
    };
  }, [Kanban, hasCards]);
  return Kanban ? <Kanban {...props} /> : <StaticBoard {...props} />;
}

/** The columns and cards as the draggable board shows them (a long column: its first cards). */
const StaticBoard = memo(function StaticBoard(props: BoardProps) {
  const laidOut = useMemo(() => layOut(props.lanes, props.states), [props.lanes, props.states]);
  const stateById = useMemo(() => new Map(props.states.map((s) => [s.id, s])), [props.states]);
  return (
    <BoardLanes
      laidOut={laidOut}
      renderColumn={(column, compact) => {
        const state = stateById.get(column.stateId);
        if (!state) return null;
        return (
          <ColumnFrame
            key={column.id}
            state={state}
            testId={columnTestId(state, props.states)}
            count={column.tasks.length}
            compact={compact}
          >
            {column.tasks.slice(0, VIRTUAL_FROM).map((task) => (
              <StaticCard key={task.id} task={task} {...props} />
            ))}
          </ColumnFrame>
        );
      }}
    />
  );
});

function StaticCard(props: BoardProps & { task: TTask }) {
  return (
    <div className="pb-2">
      <StaticTaskCard
        task={props.task}
        labels={props.labels}
        selected={props.task.id === props.selectedId}
        onOpen={props.onOpen}
        disabled={!props.onMove}
      />
    </div>
  );
}
