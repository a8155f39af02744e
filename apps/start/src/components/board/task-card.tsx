import { useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import type { TTag, TTask } from "@tandem/contracts";
import { cn } from "@tandem/ui/lib/cn";
import { type CSSProperties, memo } from "react";
import { PRIORITY_LABELS, PRIORITY_TONE } from "../../lib/board-model.ts";
import { AssigneeAvatars } from "../assignee-avatars.tsx";
import { ReviewBadge } from "../github-badges.tsx";

export function TaskCardBody({
  task,
  labels,
  selected,
}: {
  task: TTask;
  labels: Map<string, TTag>;
  selected?: boolean;
}) {
  return (
    <div
      className={cn(
        "rounded-lg border border-border bg-card p-3 text-left shadow-xs transition-shadow hover:shadow-sm",
        selected && "ring-2 ring-ring",
      )}
    >
      <div className="flex items-center justify-between text-xs text-muted-foreground">
        <span className="font-mono">{task.key}</span>
        {task.priority !== "none" ? (
          <span className={PRIORITY_TONE[task.priority]}>{PRIORITY_LABELS[task.priority]}</span>
        ) : null}
      </div>
      <p className="mt-1 line-clamp-2 text-sm font-medium">{task.title}</p>
      {task.labelIds.length || task.assigneeIds.length || task.externalAssignees.length || task.reviewState ? (
        <div className="mt-2 flex items-end justify-between gap-2">
          <div className="flex flex-wrap gap-1">
            <ReviewBadge state={task.reviewState} />
            {task.labelIds.map((id) => {
              const label = labels.get(id);
              return label ? (
                <span
                  key={id}
                  className="inline-flex items-center gap-1 rounded-full border border-border px-2 text-xs"
                >
                  <span className="size-2 rounded-full" style={{ background: label.color }} />
                  {label.name}
                </span>
              ) : null;
            })}
          </div>
          <AssigneeAvatars ids={task.assigneeIds} external={task.externalAssignees} />
        </div>
      ) : null}
    </div>
  );
}

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
    data: { status: props.task.status },
    disabled: props.disabled,
  });
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
      onClick={() => props.onOpen(props.task)}
      onKeyDown={(event) => {
        if (event.key === "Enter") props.onOpen(props.task);
        if (!props.disabled) listeners?.onKeyDown?.(event);
      }}
      className={cn(
        "rounded-lg outline-none focus-visible:ring-2 focus-visible:ring-ring",
        props.disabled ? "cursor-pointer" : "cursor-grab",
      )}
    >
      <TaskCardBody task={props.task} labels={props.labels} selected={props.selected} />
    </div>
  );
});
