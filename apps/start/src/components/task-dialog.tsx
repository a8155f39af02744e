import { TASK_PRIORITIES, TASK_STATUSES, type TTask } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@tandem/ui/components/dialog";
import { PRIORITY_LABELS, STATUS_LABELS } from "../lib/board-model.ts";
import { useCan, useOrg } from "../lib/org-context.tsx";
import { useCategories, useLabels, useMembers, useTaskMutations } from "../lib/queries.ts";
import { Attachments } from "./attachments.tsx";
import { FieldSelect, VISIBILITY_OPTIONS } from "./field-select.tsx";
import { GithubDetails } from "./github-badges.tsx";
import { missingPermissionHint } from "./permission-button.tsx";
import { AssigneePicker } from "./task-dialog/assignee-picker.tsx";
import { Comments } from "./task-dialog/comments.tsx";
import { DeleteTask } from "./task-dialog/delete-task.tsx";
import { DescriptionField } from "./task-dialog/description-field.tsx";
import { History } from "./task-dialog/history.tsx";
import { Subtasks } from "./task-dialog/subtasks.tsx";
import { TitleField } from "./task-dialog/title-field.tsx";
import { useSaveField } from "./task-dialog/use-save-field.ts";

/**
 * The task dialog, deep-linked as `?task=ENG-42`. It edits the live task from the board cache:
 * hub events change it under the user's hands, so text fields keep local drafts (see
 * `useFieldDraft`) and the select fields always show the latest value.
 */
export function TaskDialog({ task, onClose }: { task: TTask; onClose: () => void }) {
  const org = useOrg();
  const { update, remove, assign } = useTaskMutations(org.id);
  const canEdit = useCan("tasks.edit");
  const canAssign = useCan("tasks.assign");
  const canCreate = useCan("tasks.create");
  const labels = useLabels(org.id);
  const categories = useCategories(org.id);
  const members = useMembers(org.id);
  const saveField = useSaveField(task);
  const save = (patch: Record<string, unknown>) => update.mutate({ task, patch });
  const changedBy = members.data?.find((m) => m.userId === task.updatedBy)?.name ?? "Someone";

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-h-[90vh] max-w-2xl overflow-y-auto" data-testid="task-dialog">
        <DialogDescription className="font-mono text-xs">{task.key}</DialogDescription>
        <DialogTitle className="sr-only">{task.title}</DialogTitle>
        {canEdit ? null : (
          <p className="text-xs text-muted-foreground" data-testid="read-only-hint">
            Read only. {missingPermissionHint("tasks.edit")}.
          </p>
        )}
        <TitleField task={task} canEdit={canEdit} changedBy={changedBy} save={saveField} />
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          <FieldSelect
            id="task-status"
            label="Status"
            value={task.status}
            disabled={!canEdit}
            options={TASK_STATUSES.map((value) => ({ value, label: STATUS_LABELS[value] }))}
            onChange={(status) => save({ status })}
          />
          <FieldSelect
            id="task-priority"
            label="Priority"
            value={task.priority}
            disabled={!canEdit}
            options={TASK_PRIORITIES.map((value) => ({ value, label: PRIORITY_LABELS[value] }))}
            onChange={(priority) => save({ priority })}
          />
          <FieldSelect
            id="task-visibility"
            label="Visibility"
            value={task.visibility}
            disabled={!canEdit}
            options={VISIBILITY_OPTIONS}
            onChange={(visibility) => save({ visibility })}
          />
          <AssigneePicker
            assigneeIds={task.assigneeIds}
            members={members.data ?? []}
            disabled={!canAssign}
            onChange={(userIds) => assign.mutate({ task, userIds })}
          />
        </div>
        <GithubDetails task={task} />
        <fieldset className="flex flex-wrap gap-2">
          <legend className="sr-only">Labels</legend>
          {labels.data?.map((label) => {
            const on = task.labelIds.includes(label.id);
            return (
              <button
                key={label.id}
                type="button"
                disabled={!canEdit}
                aria-pressed={on}
                onClick={() =>
                  save({ labelIds: on ? task.labelIds.filter((id) => id !== label.id) : [...task.labelIds, label.id] })
                }
                className={`inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs ${on ? "border-foreground" : "border-border opacity-60"}`}
              >
                <span className="size-2 rounded-full" style={{ background: label.color }} />
                {label.name}
              </button>
            );
          })}
        </fieldset>
        <FieldSelect
          id="task-category"
          label="Category"
          value={task.categoryId ?? ""}
          disabled={!canEdit}
          options={[
            { value: "", label: "No category" },
            ...(categories.data ?? []).map((c) => ({ value: c.id, label: c.name })),
          ]}
          onChange={(categoryId) => save({ categoryId: categoryId || null })}
        />
        <DescriptionField task={task} canEdit={canEdit} changedBy={changedBy} save={saveField} />
        <Subtasks task={task} canCreate={canCreate} />
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
