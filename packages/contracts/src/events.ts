import { z } from "zod";

/** Every entity's CREATE/UPDATE/DELETE; the event log and the hub speak these. */
export const EVENT_TYPES = [
  "CREATE_TASK",
  "UPDATE_TASK",
  "DELETE_TASK",
  "CREATE_COMMENT",
  "UPDATE_COMMENT",
  "DELETE_COMMENT",
  "CREATE_LABEL",
  "UPDATE_LABEL",
  "DELETE_LABEL",
  "CREATE_CATEGORY",
  "UPDATE_CATEGORY",
  "DELETE_CATEGORY",
  "CREATE_ORG",
  "UPDATE_ORG",
  "DELETE_ORG",
  "CREATE_TEAM",
  "UPDATE_TEAM",
  "DELETE_TEAM",
  "CREATE_MEMBER",
  "UPDATE_MEMBER",
  "DELETE_MEMBER",
  "CREATE_INVITE",
  "UPDATE_INVITE",
  "CREATE_ATTACHMENT",
  "DELETE_ATTACHMENT",
  "CREATE_GITHUB_REPO",
  "DELETE_GITHUB_REPO",
] as const;
export const ZEventType = z.enum(EVENT_TYPES);
export type TEventType = z.infer<typeof ZEventType>;

/**
 * Who may see an event: `public` reaches the public board (after redaction), `members` every
 * member, `admin` members holding an admin permission.
 */
export const ZEventVisibility = z.enum(["public", "members", "admin"]);
export type TEventVisibility = z.infer<typeof ZEventVisibility>;

export const ZEvent = z.object({
  orgId: z.string(),
  seq: z.number().int(),
  type: ZEventType,
  visibility: ZEventVisibility,
  actorId: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type TEvent = z.infer<typeof ZEvent>;

export const ZEventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export const ZEventPage = z.object({ events: z.array(ZEvent), lastSeq: z.number().int() });
