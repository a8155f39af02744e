import type { EventRow, WebhookRow } from "@tandem/database";

/** What a member's tasks channel carries; admin events never leave through webhooks. */
export const WEBHOOK_VISIBILITIES = ["public", "members"] as const;

/**
 * The event as an org member receives it on the tasks channel (the hub's envelope), with a
 * `ts` fixed by the event's commit so every retry sends the same bytes.
 */
export function webhookBody(event: EventRow): string {
  return JSON.stringify({
    type: event.type,
    data: event.payload,
    scope: "CHANNEL",
    meta: { ts: event.createdAt.getTime(), orgId: event.orgId, channel: "tasks", seq: event.seq },
  });
}

export function pingBody(webhook: Pick<WebhookRow, "id" | "orgId">, now = new Date()): string {
  return JSON.stringify({
    type: "PING",
    data: { webhookId: webhook.id },
    scope: "CHANNEL",
    meta: { ts: now.getTime(), orgId: webhook.orgId, channel: "tasks" },
  });
}

type ProjectHints = {
  task?: { projectId?: unknown };
  project?: { id?: unknown };
  state?: { projectId?: unknown };
  view?: { projectId?: unknown };
  comment?: { taskId?: unknown };
  attachment?: { taskId?: unknown };
  relation?: { taskId?: unknown; relatedTaskId?: unknown };
};

const strings = (values: unknown[]) => values.filter((value): value is string => typeof value === "string");

/**
 * The tasks an event names without saying their project (a comment's, an attachment's, a
 * relation's two ends): the sender looks their projects up before it filters by project.
 */
export function unplacedTaskIds(event: Pick<EventRow, "payload">): string[] {
  const payload = event.payload as ProjectHints;
  return strings([
    payload.comment?.taskId,
    payload.attachment?.taskId,
    payload.relation?.taskId,
    payload.relation?.relatedTaskId,
  ]);
}

/** The projects an event is about: its task's, the project itself, a state's or view's, or (looked up) its tasks'. */
function projectsOf(event: EventRow, projectOfTask: ReadonlyMap<string, string>): string[] {
  const payload = event.payload as ProjectHints;
  const direct = strings([
    payload.task?.projectId,
    payload.project?.id,
    payload.state?.projectId,
    payload.view?.projectId,
  ]);
  return [...direct, ...unplacedTaskIds(event).flatMap((id) => projectOfTask.get(id) ?? [])];
}

/**
 * Whether an endpoint wants an event: its type is listed (or `*`), and, when the endpoint is
 * of one project, the event is about that project (or about no project: org-wide events).
 */
export function wantsEvent(
  webhook: Pick<WebhookRow, "events" | "projectId">,
  event: EventRow,
  projectOfTask: ReadonlyMap<string, string> = new Map(),
): boolean {
  if (event.visibility === "admin") return false;
  if (!webhook.events.includes("*") && !webhook.events.includes(event.type)) return false;
  if (webhook.projectId === null) return true;
  const projects = projectsOf(event, projectOfTask);
  return projects.length === 0 || projects.includes(webhook.projectId);
}
