import type { TTag, TTask } from "@tandem/contracts";
import { cn } from "@tandem/ui/lib/cn";
import { memo } from "react";
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

/** The wrapper's look, shared by the static card and the draggable one. */
export const cardWrapperClass = (disabled?: boolean) =>
  cn(
    "rounded-lg outline-none focus-visible:ring-2 focus-visible:ring-ring",
    disabled ? "cursor-pointer" : "cursor-grab",
  );

/**
 * A card as it first paints, before dnd-kit has loaded: the same element and look as the
 * draggable card, opened with a click or Enter.
 */
export const StaticTaskCard = memo(function StaticTaskCard(props: {
  task: TTask;
  labels: Map<string, TTag>;
  selected: boolean;
  onOpen: (task: TTask) => void;
  disabled?: boolean;
}) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: the same element as the draggable card, which a <button> cannot be.
    <div
      role="button"
      tabIndex={0}
      data-testid="task-card"
      data-task-key={props.task.key}
      onClick={() => props.onOpen(props.task)}
      onKeyDown={(event) => {
        if (event.key === "Enter") props.onOpen(props.task);
      }}
      className={cardWrapperClass(props.disabled)}
    >
      <TaskCardBody task={props.task} labels={props.labels} selected={props.selected} />
    </div>
  );
});
