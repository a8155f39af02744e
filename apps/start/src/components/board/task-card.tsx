import { useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import type { TTag, TTask } from "@tandem/contracts";
import { type CSSProperties, memo } from "react";
import { isSelectClick, useCardDecorations } from "./card-context.tsx";
import { cardWrapperClass, TaskCardBody } from "./task-card-body.tsx";

export { TaskCardBody } from "./task-card-body.tsx";

/** A draggable card; keyboard users pick it up with Space and move it with the arrows. */
export const SortableTaskCard = memo(function SortableTaskCard(props: {
  task: TTask;
  labels: Map<string, TTag>;
  selected: boolean;
  onOpen: (task: TTask) => void;
  style?: CSSProperties;
  disabled?: boolean;
}) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id: props.task.id,
    data: { stateId: props.task.stateId },
    disabled: props.disabled,
  });
  const { toggle } = useCardDecorations();
  return (
    // biome-ignore lint/a11y/useSemanticElements: dnd-kit's draggable holds block content and its own key handling; a <button> cannot.
    <div
      ref={setNodeRef}
      style={{
        ...props.style,
        transform: CSS.Translate.toString(transform),
        transition,
        opacity: isDragging ? 0.4 : 1,
      }}
      {...(props.disabled ? {} : attributes)}
      role="button"
      tabIndex={0}
      {...(props.disabled ? {} : listeners)}
      data-testid="task-card"
      data-task-key={props.task.key}
      data-task-id={props.task.id}
      onClick={(event) => (isSelectClick(event) ? toggle(props.task.id) : props.onOpen(props.task))}
      onKeyDown={(event) => {
        if (event.key === "Enter") props.onOpen(props.task);
        if (!props.disabled) listeners?.onKeyDown?.(event);
      }}
      className={cardWrapperClass(props.disabled)}
    >
      <TaskCardBody task={props.task} labels={props.labels} selected={props.selected} />
    </div>
  );
});
