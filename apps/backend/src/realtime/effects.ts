import type { TEventInput } from "@tandem/contracts";

/** What an event changes for the hub itself, before it is delivered. */
export type HubEffect =
  | { kind: "member-removed"; userId: string }
  | { kind: "teams-changed" }
  | { kind: "api-key-revoked"; keyId: string }
  | { kind: "org-settings"; publicBoard: boolean; publicFields: readonly string[] }
  /** `publicFields` null: the project has no public board (any more). */
  | { kind: "project-settings"; projectId: string; publicFields: readonly string[] | null }
  | null;

/**
 * Access changes take effect before anything after them is delivered: a removed member's
 * sockets leave, admin listeners are re-checked after a team change, and the public view
 * follows the org's settings. Every event type is named, so a new one must be decided here.
 */
export function hubEffect(event: TEventInput): HubEffect {
  switch (event.type) {
    case "DELETE_MEMBER":
      return { kind: "member-removed", userId: event.payload.userId };
    case "UPDATE_TEAM":
    case "DELETE_TEAM":
      return { kind: "teams-changed" };
    case "DELETE_API_KEY":
      return { kind: "api-key-revoked", keyId: event.payload.apiKey.id };
    case "UPDATE_ORG":
      return {
        kind: "org-settings",
        publicBoard: event.payload.org.publicBoard,
        publicFields: event.payload.org.publicFields,
      };
    case "CREATE_PROJECT":
    case "UPDATE_PROJECT": {
      const { id, publicBoard, archived, publicFields } = event.payload.project;
      return { kind: "project-settings", projectId: id, publicFields: publicBoard && !archived ? publicFields : null };
    }
    case "DELETE_PROJECT":
      return { kind: "project-settings", projectId: event.payload.project.id, publicFields: null };
    case "CREATE_TASK":
    case "UPDATE_TASK":
    case "DELETE_TASK":
    case "CREATE_COMMENT":
    case "UPDATE_COMMENT":
    case "DELETE_COMMENT":
    case "CREATE_LABEL":
    case "UPDATE_LABEL":
    case "DELETE_LABEL":
    case "CREATE_CATEGORY":
    case "UPDATE_CATEGORY":
    case "DELETE_CATEGORY":
    case "CREATE_ORG":
    case "DELETE_ORG":
    // A new team has no say yet; member team changes come with their UPDATE_TEAM.
    case "CREATE_TEAM":
    case "CREATE_MEMBER":
    case "UPDATE_MEMBER":
    case "CREATE_INVITE":
    case "UPDATE_INVITE":
    case "CREATE_ATTACHMENT":
    case "DELETE_ATTACHMENT":
    case "CREATE_GITHUB_REPO":
    case "DELETE_GITHUB_REPO":
    case "UPDATE_GITHUB_REPO":
    case "CREATE_API_KEY":
    case "UPDATE_IMPORT":
    case "CREATE_WEBHOOK":
    case "UPDATE_WEBHOOK":
    case "DELETE_WEBHOOK":
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
