import type { TTag, TTask, TWorkflowState } from "@tandem/contracts";
import type { ReactNode } from "react";
import { type Column, groupByState } from "../../lib/board-model.ts";
import type { Lane } from "../../lib/swimlanes.ts";

export type MoveRequest = { task: TTask; stateId: string; afterId?: string; beforeId?: string; rank: string };

export type BoardProps = {
  lanes: Lane[];
  states: TWorkflowState[];
  labels: Map<string, TTag>;
  selectedId: string | null;
  onOpen: (task: TTask) => void;
  onMove?: (move: MoveRequest) => void;
};

export type LaidOutLane = { lane: Lane; columns: Column[] };

/** Each swimlane's columns, one per state. */
export function layOut(lanes: Lane[], states: TWorkflowState[]): LaidOutLane[] {
  return lanes.map((lane) => ({ lane, columns: groupByState(lane.tasks, states, lane.key) }));
}

/** The board's frame: one row of columns, or a row per swimlane under its title. */
export function BoardLanes(props: {
  laidOut: LaidOutLane[];
  draggable?: boolean;
  renderColumn: (column: Column, compact: boolean) => ReactNode;
}) {
  const single = props.laidOut.length === 1 && props.laidOut[0]?.lane.key === "all";
  if (single) {
    return (
      <div
        className="flex gap-3 overflow-x-auto p-4"
        data-testid="board"
        data-draggable={props.draggable ? "" : undefined}
      >
        {props.laidOut[0]?.columns.map((column) => props.renderColumn(column, false))}
      </div>
    );
  }
  return (
    <div
      className="space-y-4 overflow-x-auto p-4"
      data-testid="board"
      data-draggable={props.draggable ? "" : undefined}
    >
      {props.laidOut.map(({ lane, columns }) => (
        <section key={lane.key} data-testid="swimlane" data-lane={lane.key} aria-label={`Swimlane ${lane.title}`}>
          <h2 className="mb-2 text-sm font-semibold">
            {lane.title} <span className="font-normal text-muted-foreground">{lane.tasks.length}</span>
          </h2>
          <div className="flex gap-3">{columns.map((column) => props.renderColumn(column, true))}</div>
        </section>
      ))}
    </div>
  );
}
