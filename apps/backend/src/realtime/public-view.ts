import type { TEventInput, TPublicEventPayloads, TPublicEventType } from "@tandem/contracts";
import { redactCard } from "@tandem/domain";

export type PublicSettings = { publicBoard: boolean; publicFields: readonly string[] };

/** A public event's type and data, correlated like the message that carries it. */
export type PublicView = { [K in TPublicEventType]: { type: K; data: TPublicEventPayloads[K] } }[TPublicEventType];

/**
 * What the public channel sees of an event, or null for nothing. Tasks are redacted to the
 * org's public fields, the description cut to an excerpt as in a public list; a task that
 * left the public board (made private or deleted) is a DELETE carrying only its id and key.
 * Public clients treat UPDATE_TASK as an upsert.
 */
export function toPublicEvent(event: TEventInput, settings: PublicSettings): PublicView | null {
  switch (event.type) {
    case "CREATE_TASK":
    case "UPDATE_TASK":
    case "DELETE_TASK": {
      const { task } = event.payload;
      if (event.type === "DELETE_TASK" || task.visibility !== "public") {
        return { type: "DELETE_TASK", data: { task: { id: task.id, key: task.key, number: task.number } } };
      }
      return { type: event.type, data: { task: redactCard(task, settings.publicFields) } };
    }
    case "CREATE_LABEL":
    case "UPDATE_LABEL":
    case "DELETE_LABEL":
      return settings.publicFields.includes("labels") ? { type: event.type, data: event.payload } : null;
    case "CREATE_CATEGORY":
    case "UPDATE_CATEGORY":
    case "DELETE_CATEGORY":
      return settings.publicFields.includes("category") ? { type: event.type, data: event.payload } : null;
    case "UPDATE_ORG": {
      const { id, name, slug, prefix, publicFields } = event.payload.org;
      return { type: event.type, data: { org: { id, name, slug, prefix, publicFields } } };
    }
    case "DELETE_ORG":
      return { type: event.type, data: event.payload };
    case "CREATE_COMMENT":
    case "UPDATE_COMMENT":
    case "DELETE_COMMENT":
    case "CREATE_ORG":
    case "CREATE_TEAM":
    case "UPDATE_TEAM":
    case "DELETE_TEAM":
    case "CREATE_MEMBER":
    case "UPDATE_MEMBER":
    case "DELETE_MEMBER":
    case "CREATE_INVITE":
    case "UPDATE_INVITE":
    case "CREATE_ATTACHMENT":
    case "DELETE_ATTACHMENT":
    case "CREATE_GITHUB_REPO":
    case "DELETE_GITHUB_REPO":
    case "CREATE_API_KEY":
    case "UPDATE_IMPORT":
    case "DELETE_API_KEY":
    case "CREATE_WEBHOOK":
    case "UPDATE_WEBHOOK":
    case "DELETE_WEBHOOK":
    // Workflows, relations and views are the members' own; a public project board shows its
    // tasks' status (the state's category), never the states themselves.
    case "CREATE_PROJECT":
    case "UPDATE_PROJECT":
    case "DELETE_PROJECT":
    case "CREATE_STATE":
    case "UPDATE_STATE":
    case "DELETE_STATE":
    case "CREATE_RELATION":
    case "DELETE_RELATION":
    case "CREATE_VIEW":
    case "UPDATE_VIEW":
    case "DELETE_VIEW":
      return null;
    default:
      return event satisfies never;
  }
}
