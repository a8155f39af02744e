import type { TTag, TTask } from "@tandem/contracts";
import { cn } from "@tandem/ui/lib/cn";
import { memo } from "react";
import { PRIORITY_LABELS, PRIORITY_TONE } from "../../lib/board-model.ts";
import { dueState, formatDate } from "../../lib/due.ts";
import { AssigneeAvatars } from "../assignee-avatars.tsx";
import { ReviewBadge } from "../github-badges.tsx";
import { isSelectClick, useCardDecorations } from "./card-context.tsx";

function DueBadge({ task }: { task: TTask }) {
  const state = dueState(task);
  if (!task.dueDate || !state) return null;
  const tone =
    state === "overdue"
      ? "border-priority-urgent text-priority-urgent"
      : state === "soon"
        ? "border-priority-medium text-priority-medium"
        : "border-border text-muted-foreground";
  const label = state === "overdue" ? "Overdue" : state === "soon" ? "Due soon" : "Due";
  return (
    <span className={cn("rounded-full border px-2 text-xs", tone)} data-testid="due-badge" data-due={state}>
      {label} {formatDate(task.dueDate)}
    </span>
  );
}

export function TaskCardBody({
  task,
  labels,
  selected,
}: {
  task: TTask;
  labels: Map<string, TTag>;
  selected?: boolean;
}) {
  const { selection, blockedBy } = useCardDecorations();
  const picked = selection.has(task.id);
  const blockers = blockedBy.get(task.id);
  return (
    <div
      className={cn(
        "rounded-lg border border-border bg-card p-3 text-left shadow-xs transition-shadow hover:shadow-sm",
        selected && "ring-2 ring-ring",
        picked && "border-primary ring-2 ring-primary",
      )}
      data-selected={picked ? "" : undefined}
    >
      <div className="flex items-center justify-between text-xs text-muted-foreground">
        <span className="font-mono">{task.key}</span>
        {task.priority !== "none" ? (
          <span className={PRIORITY_TONE[task.priority]}>{PRIORITY_LABELS[task.priority]}</span>
        ) : null}
      </div>
      <p className="mt-1 line-clamp-2 text-sm font-medium">{task.title}</p>
      {blockers?.length || task.dueDate ? (
        <div className="mt-1 flex flex-wrap gap-1">
          {blockers?.length ? (
            <span
              className="rounded-full border border-priority-urgent px-2 text-xs text-priority-urgent"
              data-testid="blocked"
            >
              Blocked by {blockers.join(", ")}
            </span>
          ) : null}
          <DueBadge task={task} />
        </div>
      ) : null}
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
    "select-none rounded-lg outline-none focus-visible:ring-2 focus-visible:ring-ring",
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
  const { toggle } = useCardDecorations();
  return (
    // biome-ignore lint/a11y/useSemanticElements: the same element as the draggable card, which a <button> cannot be.
    <div
      role="button"
      tabIndex={0}
      data-testid="task-card"
      data-task-key={props.task.key}
      data-task-id={props.task.id}
      onClick={(event) => (isSelectClick(event) ? toggle(props.task.id) : props.onOpen(props.task))}
      onKeyDown={(event) => {
        if (event.key === "Enter") props.onOpen(props.task);
      }}
      className={cardWrapperClass(props.disabled)}
    >
      <TaskCardBody task={props.task} labels={props.labels} selected={props.selected} />
    </div>
  );
});
