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
import { TASK_STATUSES, type TTag, type TTask, type TTaskStatus } from "@tandem/contracts";
import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useMemo, useRef, useState } from "react";
import { dropPosition, dropTarget, groupByStatus } from "../../lib/board-model.ts";
import { ColumnFrame, VIRTUAL_FROM } from "./column-frame.tsx";
import { SortableTaskCard, TaskCardBody } from "./task-card.tsx";

const CARD_ESTIMATE = 96;

// Memoised, like the cards: the page re-renders for its connection status, presence and
// filters, and none of that may re-render 5 columns of cards.
const Column = memo(function Column(props: {
  status: TTaskStatus;
  tasks: TTask[];
  labels: Map<string, TTag>;
  selectedId: string | null;
  onOpen: (task: TTask) => void;
  readOnly: boolean;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const { setNodeRef, isOver } = useDroppable({ id: `column:${props.status}`, data: { status: props.status } });
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
      status={props.status}
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

export type KanbanProps = {
  tasks: TTask[];
  labels: Map<string, TTag>;
  selectedId: string | null;
  onOpen: (task: TTask) => void;
  onMove?: (move: { task: TTask; status: TTaskStatus; afterId?: string; beforeId?: string; rank: string }) => void;
};

/** The kanban board: a column per status, cards ordered by rank, dragged with dnd-kit. */
export const Kanban = memo(function Kanban(props: KanbanProps) {
  const columns = useMemo(() => groupByStatus(props.tasks), [props.tasks]);
  const [dragging, setDragging] = useState<TTask | null>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const byId = useMemo(() => new Map(props.tasks.map((task) => [task.id, task])), [props.tasks]);

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
    const { status, index } = target;
    const position = dropPosition(columns[status], task.id, index);
    if (task.status === status && position.rank === task.rank) return;
    props.onMove({ task, status, ...position });
  }

  return (
    <DndContext sensors={sensors} collisionDetection={closestCorners} onDragStart={onDragStart} onDragEnd={onDragEnd}>
      <div className="flex gap-3 overflow-x-auto p-4" data-testid="board" data-draggable="">
        {TASK_STATUSES.map((status) => (
          <Column
            key={status}
            status={status}
            tasks={columns[status]}
            labels={props.labels}
            selectedId={props.selectedId}
            onOpen={props.onOpen}
            readOnly={!props.onMove}
          />
        ))}
      </div>
      <DragOverlay>{dragging ? <TaskCardBody task={dragging} labels={props.labels} /> : null}</DragOverlay>
    </DndContext>
  );
});
