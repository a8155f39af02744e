import type { TEventType, TOrg, TTask } from "@tandem/contracts";
import { redactCard } from "@tandem/domain";

export type PublicSettings = { publicBoard: boolean; publicFields: readonly string[] };

/**
 * What the public channel sees of an event, or null for nothing. Tasks are redacted to the
 * org's public fields, the description cut to an excerpt as in a public list; a task that
 * left the public board (made private or deleted) is a DELETE carrying only its id and key.
 * Public clients treat UPDATE_TASK as an upsert.
 */
export function toPublicEvent(
  type: TEventType,
  payload: Record<string, unknown>,
  settings: PublicSettings,
): { type: TEventType; data: Record<string, unknown> } | null {
  switch (type) {
    case "CREATE_TASK":
    case "UPDATE_TASK":
    case "DELETE_TASK": {
      const task = payload.task as TTask | undefined;
      if (!task) return null;
      if (type === "DELETE_TASK" || task.visibility !== "public") {
        return { type: "DELETE_TASK", data: { task: { id: task.id, key: task.key, number: task.number } } };
      }
      return { type, data: { task: redactCard(task, settings.publicFields) } };
    }
    case "CREATE_LABEL":
    case "UPDATE_LABEL":
    case "DELETE_LABEL":
      return settings.publicFields.includes("labels") ? { type, data: { label: payload.label } } : null;
    case "CREATE_CATEGORY":
    case "UPDATE_CATEGORY":
    case "DELETE_CATEGORY":
      return settings.publicFields.includes("category") ? { type, data: { category: payload.category } } : null;
    case "UPDATE_ORG": {
      const org = payload.org as TOrg | undefined;
      if (!org) return null;
      const { id, name, slug, prefix, publicFields } = org;
      return { type, data: { org: { id, name, slug, prefix, publicFields } } };
    }
    default:
      return null;
  }
}
