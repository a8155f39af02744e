import type { TTask } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@tandem/ui/components/dialog";
import { useCan, useOrg } from "../lib/org-context.tsx";
import { useProjects } from "../lib/projects.ts";
import { useCategories, useLabels, useMembers, useTaskMutations } from "../lib/queries.ts";
import { Attachments } from "./attachments.tsx";
import { GithubDetails } from "./github-badges.tsx";
import { missingPermissionHint } from "./permission-button.tsx";
import { Comments } from "./task-dialog/comments.tsx";
import { DeleteTask } from "./task-dialog/delete-task.tsx";
import { DescriptionField } from "./task-dialog/description-field.tsx";
import { History } from "./task-dialog/history.tsx";
import { TaskProperties, TaskTaxonomy } from "./task-dialog/properties.tsx";
import { Relations } from "./task-dialog/relations.tsx";
import { TaskSchedule } from "./task-dialog/schedule.tsx";
import { Subtasks } from "./task-dialog/subtasks.tsx";
import { TitleField } from "./task-dialog/title-field.tsx";
import { useSaveField } from "./task-dialog/use-save-field.ts";
import { WatchButton } from "./task-dialog/watch-button.tsx";

/**
 * The task dialog, deep-linked as `?task=ENG-42`. It edits the live task from the board cache:
 * hub events change it under the user's hands, so text fields keep local drafts (see
 * `useFieldDraft`) and the select fields always show the latest value.
 */
export function TaskDialog({ task, onClose }: { task: TTask; onClose: () => void }) {
  const org = useOrg();
  const { update, remove, assign } = useTaskMutations(org.id);
  const canEdit = useCan("tasks.edit");
  const labels = useLabels(org.id);
  const categories = useCategories(org.id);
  const members = useMembers(org.id);
  const projects = useProjects(org.id);
  const states = projects.data?.find((p) => p.id === task.projectId)?.states ?? [];
  const saveField = useSaveField(task);
  const save = (patch: Record<string, unknown>) => update.mutate({ task, patch });
  const changedBy = members.data?.find((m) => m.userId === task.updatedBy)?.name ?? "Someone";

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent
        className="max-h-[90vh] max-w-2xl overflow-y-auto"
        data-testid="task-dialog"
        // Read only: the dialog itself takes focus, not the first field's "why not" wrapper,
        // whose tooltip would pop up over the task before anyone asked.
        onOpenAutoFocus={(event) => {
          if (canEdit) return;
          event.preventDefault();
          (event.currentTarget as HTMLElement | null)?.focus();
        }}
      >
        <div className="flex items-center justify-between gap-2 pr-8">
          <DialogDescription className="font-mono text-xs">{task.key}</DialogDescription>
          <WatchButton orgId={org.id} task={task} />
        </div>
        <DialogTitle className="sr-only">{task.title}</DialogTitle>
        {canEdit ? null : (
          <p className="text-xs text-muted-foreground" data-testid="read-only-hint">
            Read only. {missingPermissionHint("tasks.edit")}.
          </p>
        )}
        <TitleField task={task} canEdit={canEdit} changedBy={changedBy} save={saveField} />
        <TaskProperties
          task={task}
          states={states}
          members={members.data ?? []}
          save={save}
          assign={(userIds) => assign.mutate({ task, userIds })}
        />
        <TaskSchedule task={task} save={save} />
        <GithubDetails task={task} />
        <TaskTaxonomy task={task} labels={labels.data ?? []} categories={categories.data ?? []} save={save} />
        <DescriptionField task={task} canEdit={canEdit} changedBy={changedBy} save={saveField} />
        <Relations orgId={org.id} taskId={task.id} />
        <Subtasks task={task} />
        <Attachments orgId={org.id} taskId={task.id} canEdit={canEdit} />
        <Comments orgId={org.id} taskId={task.id} members={members.data ?? []} />
        <History
          orgId={org.id}
          taskId={task.id}
          members={members.data ?? []}
          labels={labels.data ?? []}
          categories={categories.data ?? []}
        />
        <DeleteTask
          task={task}
          onDelete={() => {
            onClose();
            remove.mutate({ task });
          }}
        />
      </DialogContent>
    </Dialog>
  );
}

/** A `?task=` link to a task that does not exist (any more) or that this member cannot see. */
export function TaskNotFound({ taskKey, onClose }: { taskKey: string; onClose: () => void }) {
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-w-sm">
        <DialogTitle>Task not found</DialogTitle>
        <DialogDescription>{taskKey} does not exist: it may have been deleted, or the link is wrong.</DialogDescription>
        <div className="flex justify-end">
          <Button onClick={onClose}>Back to the board</Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
