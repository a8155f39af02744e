import {
  closestCorners,
  DndContext,
  type DragEndEvent,
  DragOverlay,
  type DragStartEvent,
  KeyboardSensor,
  PointerSensor,
  useDroppable,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import { SortableContext, sortableKeyboardCoordinates, verticalListSortingStrategy } from "@dnd-kit/sortable";
import type { TTag, TTask, TWorkflowState } from "@tandem/contracts";
import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useMemo, useRef, useState } from "react";
import { dropPosition, dropTarget } from "../../lib/board-model.ts";
import { BoardLanes, type BoardProps, layOut } from "./board-lanes.tsx";
import { ColumnFrame, columnTestId, VIRTUAL_FROM } from "./column-frame.tsx";
import { SortableTaskCard, TaskCardBody } from "./task-card.tsx";

const CARD_ESTIMATE = 96;

// Memoised, like the cards: the page re-renders for its connection status, presence and
// filters, and none of that may re-render 5 columns of cards.
const Column = memo(function Column(props: {
  id: string;
  state: TWorkflowState;
  testId: string;
  compact: boolean;
  tasks: TTask[];
  labels: Map<string, TTag>;
  selectedId: string | null;
  onOpen: (task: TTask) => void;
  readOnly: boolean;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const { setNodeRef, isOver } = useDroppable({ id: `column:${props.id}`, data: { stateId: props.state.id } });
  // Only the visible cards are in the DOM: a column of thousands scrolls like one of ten.
  const virtual = props.tasks.length > VIRTUAL_FROM;
  const virtualizer = useVirtualizer({
    enabled: virtual,
    count: props.tasks.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => CARD_ESTIMATE,
    overscan: 10,
  });
  const ids = useMemo(() => props.tasks.map((task) => task.id), [props.tasks]);
  const card = (task: TTask) => (
    <SortableTaskCard
      task={task}
      labels={props.labels}
      selected={task.id === props.selectedId}
      onOpen={props.onOpen}
      disabled={props.readOnly}
    />
  );
  return (
    <ColumnFrame
      state={props.state}
      testId={props.testId}
      compact={props.compact}
      count={props.tasks.length}
      isOver={isOver}
      sectionRef={setNodeRef}
      scrollRef={scrollRef}
    >
      <SortableContext items={ids} strategy={verticalListSortingStrategy}>
        {virtual ? (
          <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
            {virtualizer.getVirtualItems().map((item) => {
              const task = props.tasks[item.index];
              if (!task) return null;
              return (
                <div
                  key={task.id}
                  ref={virtualizer.measureElement}
                  data-index={item.index}
                  className="absolute inset-x-0 pb-2"
                  style={{ top: item.start }}
                >
                  {card(task)}
                </div>
              );
            })}
          </div>
        ) : (
          props.tasks.map((task) => (
            <div key={task.id} className="pb-2">
              {card(task)}
            </div>
          ))
        )}
      </SortableContext>
    </ColumnFrame>
  );
});

/** The kanban board: a column per workflow state (per swimlane), cards ordered by rank, dragged with dnd-kit. */
export const Kanban = memo(function Kanban(props: BoardProps) {
  const laidOut = useMemo(() => layOut(props.lanes, props.states), [props.lanes, props.states]);
  const columns = useMemo(() => laidOut.flatMap((lane) => lane.columns), [laidOut]);
  const stateById = useMemo(() => new Map(props.states.map((s) => [s.id, s])), [props.states]);
  const [dragging, setDragging] = useState<TTask | null>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const byId = useMemo(() => new Map(columns.flatMap((c) => c.tasks).map((task) => [task.id, task])), [columns]);

  function onDragStart(event: DragStartEvent) {
    setDragging(byId.get(String(event.active.id)) ?? null);
  }

  function onDragEnd(event: DragEndEvent) {
    setDragging(null);
    const task = byId.get(String(event.active.id));
    const overId = event.over ? String(event.over.id) : null;
    if (!task || !overId || !props.onMove) return;
    const target = dropTarget(columns, task, overId);
    if (!target) return;
    const position = dropPosition(target.column.tasks, task.id, target.index);
    if (task.stateId === target.column.stateId && position.rank === task.rank) return;
    props.onMove({ task, stateId: target.column.stateId, ...position });
  }

  return (
    <DndContext sensors={sensors} collisionDetection={closestCorners} onDragStart={onDragStart} onDragEnd={onDragEnd}>
      <BoardLanes
        laidOut={laidOut}
        draggable
        renderColumn={(column, compact) => {
          const state = stateById.get(column.stateId);
          if (!state) return null;
          return (
            <Column
              key={column.id}
              id={column.id}
              state={state}
              testId={columnTestId(state, props.states)}
              compact={compact}
              tasks={column.tasks}
              labels={props.labels}
              selectedId={props.selectedId}
              onOpen={props.onOpen}
              readOnly={!props.onMove}
            />
          );
        }}
      />
      <DragOverlay>{dragging ? <TaskCardBody task={dragging} labels={props.labels} /> : null}</DragOverlay>
    </DndContext>
  );
});
