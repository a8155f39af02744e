import type { TEventInput, TPublicEventPayloads, TPublicEventType } from "@tandem/contracts";
import { redactCard } from "@tandem/domain";

/**
 * What the public channel may show of an org: its switch for public boards at all, and its
 * public projects (project id → that project's public fields). Tasks of any other project
 * never reach the channel. `projects` is null until a public subscriber needs it (member
 * channels never read it): nothing of a task passes then.
 */
export type PublicSettings = {
  publicBoard: boolean;
  publicFields: readonly string[];
  projects: ReadonlyMap<string, readonly string[]> | null;
};

/** Whether some public project shows `field` (labels and categories are the org's, shared by its boards). */
function shownAnywhere(settings: PublicSettings, field: string): boolean {
  for (const fields of settings.projects?.values() ?? []) if (fields.includes(field)) return true;
  return false;
}

/** A public event's type and data, correlated like the message that carries it. */
export type PublicView = { [K in TPublicEventType]: { type: K; data: TPublicEventPayloads[K] } }[TPublicEventType];

/**
 * What the public channel sees of an event, or null for nothing. Tasks are redacted to their
 * project's public fields (nothing at all of a project without a public board), the description cut to an excerpt as in a public list; a task that
 * left the public board (made private or deleted) is a DELETE carrying only its id and key.
 * Public clients treat UPDATE_TASK as an upsert.
 */
export function toPublicEvent(event: TEventInput, settings: PublicSettings): PublicView | null {
  switch (event.type) {
    case "CREATE_TASK":
    case "UPDATE_TASK":
    case "DELETE_TASK": {
      const { task } = event.payload;
      // A task of a project without a public board: not even its key leaves.
      const fields = settings.projects?.get(task.projectId);
      if (!fields) return null;
      if (event.type === "DELETE_TASK" || task.visibility !== "public") {
        return { type: "DELETE_TASK", data: { task: { id: task.id, key: task.key, number: task.number } } };
      }
      return { type: event.type, data: { task: redactCard(task, fields) } };
    }
    case "CREATE_LABEL":
    case "UPDATE_LABEL":
    case "DELETE_LABEL":
      return shownAnywhere(settings, "labels") ? { type: event.type, data: event.payload } : null;
    case "CREATE_CATEGORY":
    case "UPDATE_CATEGORY":
    case "DELETE_CATEGORY":
      return shownAnywhere(settings, "category") ? { type: event.type, data: event.payload } : null;
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
    case "UPDATE_GITHUB_REPO":
    case "CREATE_API_KEY":
    case "UPDATE_IMPORT":
    case "DELETE_API_KEY":
    case "CREATE_WEBHOOK":
    case "UPDATE_WEBHOOK":
    case "DELETE_WEBHOOK":
    // Projects and their workflows reach public boards through their snapshot (reloaded on change).
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
