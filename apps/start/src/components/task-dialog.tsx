import { type TActivity, TASK_PRIORITIES, TASK_STATUSES, type TComment, type TTask } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@tandem/ui/components/dialog";
import { Input } from "@tandem/ui/components/input";
import { Label } from "@tandem/ui/components/label";
import { Textarea } from "@tandem/ui/components/textarea";
import { toast } from "@tandem/ui/components/toaster";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { unwrap } from "../lib/api.ts";
import { useServices } from "../lib/app-context.tsx";
import { PRIORITY_LABELS, STATUS_LABELS } from "../lib/board-model.ts";
import { useCan, useOrg } from "../lib/org-context.tsx";
import { keys, useBoard, useCategories, useLabels, useMembers, useTaskMutations } from "../lib/queries.ts";
import { Attachments } from "./attachments.tsx";
import { FieldSelect, VISIBILITY_OPTIONS } from "./field-select.tsx";
import { missingPermissionHint, PermissionButton } from "./permission-button.tsx";

function describeChange(activity: TActivity): string {
  if (activity.action !== "updated" && activity.action !== "moved") return activity.action.replace("_", " ");
  return (
    activity.changes
      .filter((c) => c.field !== "rank")
      .map((c) => `${c.field}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`)
      .join(", ") || "reordered"
  );
}

/** The task dialog, deep-linked as `?task=ENG-42`: edit fields, comments and history. */
export function TaskDialog({ task, onClose }: { task: TTask | undefined; onClose: () => void }) {
  const org = useOrg();
  const { api } = useServices();
  const queryClient = useQueryClient();
  const { update, remove, assign } = useTaskMutations(org.id);
  const canEdit = useCan("tasks.edit");
  const canAssign = useCan("tasks.assign");
  const canCreate = useCan("tasks.create");
  const labels = useLabels(org.id);
  const categories = useCategories(org.id);
  const members = useMembers(org.id);
  const board = useBoard(org.id);
  const { create } = useTaskMutations(org.id);
  const [subtask, setSubtask] = useState("");
  const taskId = task?.id ?? "";
  const comments = useQuery({
    queryKey: keys.comments(org.id, taskId),
    queryFn: () => unwrap(api.api.orgs[":orgId"].tasks[":taskId"].comments.$get({ param: { orgId: org.id, taskId } })),
    enabled: Boolean(task),
  });
  const activity = useQuery({
    queryKey: keys.activity(org.id, taskId),
    queryFn: () => unwrap(api.api.orgs[":orgId"].tasks[":taskId"].activity.$get({ param: { orgId: org.id, taskId } })),
    enabled: Boolean(task),
  });
  const addComment = useMutation({
    mutationFn: (body: string) =>
      unwrap(
        api.api.orgs[":orgId"].tasks[":taskId"].comments.$post({ param: { orgId: org.id, taskId }, json: { body } }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.comments(org.id, taskId) }),
    onError: (error) => toast.error(error.message),
  });
  const [comment, setComment] = useState("");

  if (!task) return null;
  const save = (patch: Record<string, unknown>) => update.mutate({ task, patch });
  const memberName = (id: string | null) => members.data?.find((m) => m.userId === id)?.name ?? "Someone";

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
        <Input
          aria-label="Title"
          key={`title-${task.version}`}
          defaultValue={task.title}
          disabled={!canEdit}
          className="text-lg font-semibold"
          onBlur={(event) =>
            event.target.value.trim() && event.target.value !== task.title && save({ title: event.target.value.trim() })
          }
        />
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
          <FieldSelect
            id="task-assignee"
            label="Assignee"
            value={task.assigneeIds[0] ?? ""}
            disabled={!canAssign}
            options={[
              { value: "", label: "Unassigned" },
              ...(members.data ?? []).map((m) => ({ value: m.userId, label: m.name })),
            ]}
            onChange={(userId) => assign.mutate({ task, userIds: userId ? [userId] : [] })}
          />
        </div>
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
        <div className="space-y-1">
          <Label htmlFor="task-description">Description (markdown)</Label>
          <Textarea
            id="task-description"
            key={`desc-${task.version}`}
            defaultValue={task.description}
            rows={5}
            disabled={!canEdit}
            onBlur={(event) => event.target.value !== task.description && save({ description: event.target.value })}
          />
        </div>
        <section aria-label="Sub-tasks" className="space-y-2">
          <h3 className="text-sm font-semibold">Sub-tasks</h3>
          <ul className="space-y-1 text-sm">
            {board.data
              ?.filter((t) => t.parentId === task.id)
              .map((child) => (
                <li key={child.id} className="flex gap-2">
                  <span className="font-mono text-xs text-muted-foreground">{child.key}</span>
                  <span className={child.status === "done" ? "line-through" : ""}>{child.title}</span>
                </li>
              ))}
          </ul>
          {canCreate ? (
            <form
              className="flex gap-2"
              onSubmit={(event: FormEvent) => {
                event.preventDefault();
                if (subtask.trim())
                  create.mutate({ title: subtask.trim(), parentId: task.id }, { onSuccess: () => setSubtask("") });
              }}
            >
              <Input
                aria-label="Add a sub-task"
                value={subtask}
                onChange={(e) => setSubtask(e.target.value)}
                placeholder="Add a sub-task…"
              />
              <Button type="submit" variant="secondary">
                Add
              </Button>
            </form>
          ) : null}
        </section>
        <Attachments orgId={org.id} taskId={task.id} canEdit={canEdit} />
        <section aria-label="Comments" className="space-y-2">
          <h3 className="text-sm font-semibold">Comments</h3>
          {comments.data?.map((c: TComment) => (
            <div key={c.id} className="rounded-md border border-border p-2 text-sm">
              <span className="font-medium">{c.externalAuthor?.login ?? memberName(c.authorId)}</span>
              <p className="whitespace-pre-wrap">{c.body}</p>
            </div>
          ))}
          <form
            className="flex gap-2"
            onSubmit={(event: FormEvent) => {
              event.preventDefault();
              if (comment.trim()) addComment.mutate(comment.trim(), { onSuccess: () => setComment("") });
            }}
          >
            <Input
              aria-label="Add a comment"
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              placeholder="Add a comment…"
            />
            <Button type="submit" variant="secondary">
              Comment
            </Button>
          </form>
        </section>
        <section aria-label="History" className="space-y-1">
          <h3 className="text-sm font-semibold">History</h3>
          <ol className="space-y-1 text-xs text-muted-foreground">
            {activity.data?.map((a) => (
              <li key={a.id}>
                {memberName(a.actorId)} · {describeChange(a)} · {new Date(a.createdAt).toLocaleString()}
              </li>
            ))}
          </ol>
        </section>
        <div className="flex justify-end">
          <PermissionButton
            permission="tasks.delete"
            variant="destructive"
            onClick={() => {
              remove.mutate({ task });
              onClose();
            }}
          >
            Delete task
          </PermissionButton>
        </div>
      </DialogContent>
    </Dialog>
  );
}
