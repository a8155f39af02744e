import type { TPublicBoard, TPublicTask } from "@tandem/contracts";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@tandem/ui/components/dialog";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { unwrap } from "../../lib/api.ts";
import { useServices } from "../../lib/app-context.tsx";
import { PRIORITY_LABELS, STATUS_LABELS } from "../../lib/board-model.ts";
import { keys } from "../../lib/queries.ts";
import { DescriptionText } from "../description-text.tsx";

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="mt-0.5 text-sm">{children}</dd>
    </div>
  );
}

/**
 * The read-only task view of a public board (`/p/:slug/:projectKey?task=KEY`): every field the
 * project made public, the whole description read from the single-task route (lists carry an
 * excerpt). Its state is named as the board's column is.
 */
export function PublicTaskDialog({
  slug,
  board,
  card,
  taskKey,
  onClose,
}: {
  slug: string;
  board: TPublicBoard;
  /** The card from the list, shown at once while the whole task loads. */
  card: TPublicTask | undefined;
  taskKey: string;
  onClose: () => void;
}) {
  const { api } = useServices();
  const projectKey = board.project.key;
  const full = useQuery({
    // The card's version is in the key: a live change to the task reloads it.
    queryKey: [...keys.publicTask(slug, projectKey, taskKey), card?.version ?? 0],
    queryFn: () =>
      unwrap(
        api.api.public.orgs[":slug"].projects[":projectKey"].tasks[":number"].$get({
          param: { slug, projectKey, number: taskKey },
        }),
      ),
    placeholderData: (previous) => previous ?? card,
  });
  const task = full.data;
  const shows = (field: string) => board.publicFields.some((f) => f === field);
  const labels = new Map((board.labels ?? []).map((l) => [l.id, l]));
  const categories = new Map((board.categories ?? []).map((c) => [c.id, c]));
  const people = new Map((board.people ?? []).map((p) => [p.id, p]));
  const state = board.states.find((s) => s.id === task?.stateId);

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-w-2xl" data-testid="public-task-dialog">
        <DialogDescription className="font-mono text-xs">{task?.key ?? taskKey}</DialogDescription>
        {!task ? (
          <>
            <DialogTitle>{full.isError ? "This task is not on the public board" : "Loading…"}</DialogTitle>
            {full.isError ? (
              <p className="text-sm text-muted-foreground">It may have been made private or deleted.</p>
            ) : null}
          </>
        ) : (
          <>
            <DialogTitle className="text-lg font-semibold">{task.title}</DialogTitle>
            <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
              {state ? (
                <Field label="State">
                  <span className="inline-flex items-center gap-1.5">
                    <span className="size-2 rounded-full" style={{ background: state.color }} aria-hidden />
                    {state.name}
                  </span>
                </Field>
              ) : task.status ? (
                <Field label="Status">{STATUS_LABELS[task.status]}</Field>
              ) : null}
              {shows("priority") && task.priority ? (
                <Field label="Priority">{PRIORITY_LABELS[task.priority]}</Field>
              ) : null}
              {shows("category") ? (
                <Field label="Category">{(task.categoryId && categories.get(task.categoryId)?.name) || "None"}</Field>
              ) : null}
              {shows("assignees") ? (
                <Field label="Assignees">
                  {task.assigneeIds?.length
                    ? task.assigneeIds.map((id) => people.get(id)?.name ?? "Someone").join(", ")
                    : "Unassigned"}
                </Field>
              ) : null}
              {task.updatedAt ? (
                <Field label="Updated">
                  <time dateTime={task.updatedAt}>{new Date(task.updatedAt).toLocaleString()}</time>
                </Field>
              ) : null}
            </dl>
            {shows("labels") && task.labelIds?.length ? (
              <ul aria-label="Labels" className="flex flex-wrap gap-1">
                {task.labelIds.map((id) => {
                  const label = labels.get(id);
                  return label ? (
                    <li
                      key={id}
                      className="inline-flex items-center gap-1 rounded-full border border-border px-2 text-xs"
                    >
                      <span className="size-2 rounded-full" style={{ background: label.color }} aria-hidden />
                      {label.name}
                    </li>
                  ) : null;
                })}
              </ul>
            ) : null}
            {shows("description") ? (
              <section aria-label="Description">
                <DescriptionText text={task.description ?? ""} />
                {task.descriptionTruncated ? (
                  <p className="mt-1 text-xs text-muted-foreground">Loading the rest…</p>
                ) : null}
              </section>
            ) : null}
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
