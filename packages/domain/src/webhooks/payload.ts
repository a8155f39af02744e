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

/** The project an event is about, when it says: its task's, the project itself, or a state's. */
function projectOf(event: EventRow): string | null {
  const payload = event.payload as {
    task?: { projectId?: unknown };
    project?: { id?: unknown };
    state?: { projectId?: unknown };
  };
  for (const id of [payload.task?.projectId, payload.project?.id, payload.state?.projectId])
    if (typeof id === "string") return id;
  return null;
}

/** Whether an endpoint wants an event: its type is listed (or `*`), and its project matches when both say one. */
export function wantsEvent(webhook: Pick<WebhookRow, "events" | "projectId">, event: EventRow): boolean {
  if (event.visibility === "admin") return false;
  if (!webhook.events.includes("*") && !webhook.events.includes(event.type)) return false;
  if (webhook.projectId === null) return true;
  const project = projectOf(event);
  return project === null || project === webhook.projectId;
}
