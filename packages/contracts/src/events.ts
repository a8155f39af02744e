import { z } from "zod";
import { ZActorKey, ZApiKey } from "./api-keys.ts";
import { ZImport } from "./imports.ts";
import { ZOrg, ZRepoLink } from "./org.ts";
import { isAdmin } from "./permissions.ts";
import { ZProject, ZSavedView, ZTaskRelation, ZWorkflowState } from "./projects.ts";
import { ZAttachment, ZComment, ZTask } from "./task.ts";
import { ZTag } from "./taxonomy.ts";
import { ZInvite, ZTeam } from "./team.ts";
import { ZWebhook } from "./webhooks.ts";

const ZTaskPayload = z.object({ task: ZTask });
/**
 * An update also says what it changed of the fields people are told about: their values before
 * it (a field is present only when it changed), and the members its description newly mentions.
 */
const ZTaskUpdatePayload = ZTaskPayload.extend({
  previous: z
    .object({
      stateId: z.string().optional(),
      assigneeIds: z.array(z.string()).optional(),
      dueDate: z.string().nullable().optional(),
    })
    .optional(),
  addedMentions: z.array(z.string()).optional(),
});
/** `taskKey`: the task's key (`ENG-42`); `taskNumber` alone no longer names it once an org has projects. */
const ZCommentPayload = z.object({
  comment: ZComment,
  taskNumber: z.number().int(),
  taskKey: z.string(),
  /** A mirrored GitHub comment's `@login` mentions that are members (their linked GitHub account). */
  githubMentions: z.array(z.string()).optional(),
  /** An edit's mentions that the comment did not have before (they are told, once). */
  addedMentions: z.array(z.string()).optional(),
});
const ZLabelPayload = z.object({ label: ZTag });
const ZCategoryPayload = z.object({ category: ZTag });
const ZOrgPayload = z.object({ org: ZOrg });
const ZTeamPayload = z.object({ team: ZTeam });
/** An invite as the admin channel sees it: never its code. */
const ZInvitePayload = z.object({ invite: ZInvite.omit({ code: true }) });
const ZAttachmentPayload = z.object({ attachment: ZAttachment });
const ZRepoPayload = z.object({ repo: ZRepoLink });
const ZApiKeyPayload = z.object({ apiKey: ZApiKey });
const ZWebhookPayload = z.object({ webhook: ZWebhook });
const ZProjectPayload = z.object({ project: ZProject });
const ZStatePayload = z.object({ state: ZWorkflowState });
/** A relation as seen from both of its tasks (`relation` from `taskId`, `inverse` from the other). */
const ZRelationPayload = z.object({ relation: ZTaskRelation, inverse: ZTaskRelation });
const ZViewPayload = z.object({ view: ZSavedView });

/**
 * The event catalogue: every event type the log, the hub, the public view, the worker and
 * the UI speak, with its payload. Adding a type here is a compile error at every consumer
 * whose switch does not handle it (`satisfies never`).
 */
export const EVENT_PAYLOADS = {
  CREATE_TASK: ZTaskPayload,
  UPDATE_TASK: ZTaskUpdatePayload,
  DELETE_TASK: ZTaskPayload,
  CREATE_COMMENT: ZCommentPayload,
  UPDATE_COMMENT: ZCommentPayload,
  DELETE_COMMENT: ZCommentPayload,
  CREATE_LABEL: ZLabelPayload,
  UPDATE_LABEL: ZLabelPayload,
  DELETE_LABEL: ZLabelPayload,
  CREATE_CATEGORY: ZCategoryPayload,
  UPDATE_CATEGORY: ZCategoryPayload,
  DELETE_CATEGORY: ZCategoryPayload,
  CREATE_ORG: ZOrgPayload,
  UPDATE_ORG: ZOrgPayload,
  /** Never in the log (it goes with the org): the hub tells the org's sockets itself. */
  DELETE_ORG: z.object({ org: z.object({ id: z.string() }) }),
  CREATE_TEAM: ZTeamPayload,
  UPDATE_TEAM: ZTeamPayload,
  DELETE_TEAM: ZTeamPayload,
  CREATE_MEMBER: z.object({ userId: z.string(), teamIds: z.array(z.string()) }),
  /** Members whose teams (so whose permissions) changed. */
  UPDATE_MEMBER: z.object({ userIds: z.array(z.string()) }),
  DELETE_MEMBER: z.object({ userId: z.string() }),
  CREATE_INVITE: ZInvitePayload,
  UPDATE_INVITE: ZInvitePayload,
  CREATE_ATTACHMENT: ZAttachmentPayload,
  DELETE_ATTACHMENT: ZAttachmentPayload,
  CREATE_GITHUB_REPO: ZRepoPayload,
  DELETE_GITHUB_REPO: ZRepoPayload,
  /** Its project, category or enabled switch changed. */
  UPDATE_GITHUB_REPO: ZRepoPayload,
  CREATE_API_KEY: ZApiKeyPayload,
  /** A key was revoked: every hub instance closes its sockets (4401). */
  DELETE_API_KEY: ZApiKeyPayload,
  /** An import was queued, made progress, completed or failed (its admins follow it live). */
  UPDATE_IMPORT: z.object({ import: ZImport }),
  CREATE_WEBHOOK: ZWebhookPayload,
  /** Also the admins' notice when the sender disables a failing endpoint (`disabledReason`). */
  UPDATE_WEBHOOK: ZWebhookPayload,
  DELETE_WEBHOOK: ZWebhookPayload,
  CREATE_PROJECT: ZProjectPayload,
  UPDATE_PROJECT: ZProjectPayload,
  DELETE_PROJECT: ZProjectPayload,
  CREATE_STATE: ZStatePayload,
  UPDATE_STATE: ZStatePayload,
  /** Its tasks moved to `movedTo` first (each with its own UPDATE_TASK). */
  DELETE_STATE: z.object({ state: ZWorkflowState, movedTo: z.string().nullable() }),
  CREATE_RELATION: ZRelationPayload,
  DELETE_RELATION: ZRelationPayload,
  /** Shared views only: a personal view is its owner's alone and is not logged. */
  CREATE_VIEW: ZViewPayload,
  UPDATE_VIEW: ZViewPayload,
  DELETE_VIEW: ZViewPayload,
} as const;

export type TEventType = keyof typeof EVENT_PAYLOADS;
export const EVENT_TYPES = Object.keys(EVENT_PAYLOADS) as [TEventType, ...TEventType[]];
export const ZEventType = z.enum(EVENT_TYPES);
export type TEventPayload<T extends TEventType> = z.infer<(typeof EVENT_PAYLOADS)[T]>;

/** A type with its payload: what a writer records. A union, so `type` narrows `payload`. */
export type TEventInput<T extends TEventType = TEventType> = {
  [K in T]: { type: K; payload: TEventPayload<K> };
}[T];

/**
 * Who may see an event: `public` reaches the public board (after redaction), `members` every
 * member, `admin` members holding an admin permission.
 */
export const ZEventVisibility = z.enum(["public", "members", "admin"]);
export type TEventVisibility = z.infer<typeof ZEventVisibility>;

type TTaskEventType = "CREATE_TASK" | "UPDATE_TASK" | "DELETE_TASK";

/** The visibility rule, the one place that says who sees which event (task events: below). */
const EVENT_VISIBILITY: Record<Exclude<TEventType, TTaskEventType>, TEventVisibility> = {
  CREATE_COMMENT: "members",
  UPDATE_COMMENT: "members",
  DELETE_COMMENT: "members",
  CREATE_LABEL: "public",
  UPDATE_LABEL: "public",
  DELETE_LABEL: "public",
  CREATE_CATEGORY: "public",
  UPDATE_CATEGORY: "public",
  DELETE_CATEGORY: "public",
  CREATE_ORG: "members",
  UPDATE_ORG: "public",
  DELETE_ORG: "public",
  CREATE_TEAM: "admin",
  UPDATE_TEAM: "admin",
  DELETE_TEAM: "admin",
  CREATE_MEMBER: "members",
  UPDATE_MEMBER: "members",
  DELETE_MEMBER: "members",
  CREATE_INVITE: "admin",
  UPDATE_INVITE: "admin",
  CREATE_ATTACHMENT: "members",
  DELETE_ATTACHMENT: "members",
  CREATE_GITHUB_REPO: "admin",
  DELETE_GITHUB_REPO: "admin",
  UPDATE_GITHUB_REPO: "admin",
  CREATE_API_KEY: "admin",
  DELETE_API_KEY: "admin",
  UPDATE_IMPORT: "admin",
  CREATE_WEBHOOK: "admin",
  UPDATE_WEBHOOK: "admin",
  DELETE_WEBHOOK: "admin",
  CREATE_PROJECT: "members",
  UPDATE_PROJECT: "members",
  DELETE_PROJECT: "members",
  CREATE_STATE: "members",
  UPDATE_STATE: "members",
  DELETE_STATE: "members",
  CREATE_RELATION: "members",
  DELETE_RELATION: "members",
  CREATE_VIEW: "members",
  UPDATE_VIEW: "members",
  DELETE_VIEW: "members",
};

/**
 * An event's visibility. A task event is public when the task is public now or was before
 * (`wasPublic`), so the public board also learns when a task leaves it.
 */
export function eventVisibility(event: TEventInput, wasPublic = false): TEventVisibility {
  switch (event.type) {
    case "CREATE_TASK":
    case "UPDATE_TASK":
    case "DELETE_TASK":
      return wasPublic || event.payload.task.visibility === "public" ? "public" : "members";
    default:
      return EVENT_VISIBILITY[event.type];
  }
}

/** What a member may see of the log: admin events need an admin permission; workers see all. */
export function visibleTo(permissions: ReadonlySet<string> | null): TEventVisibility[] {
  return permissions === null || isAdmin(permissions) ? ["public", "members", "admin"] : ["public", "members"];
}

/** Each WebSocket channel's share of the log (admin events go to the admin channel only). */
export const CHANNEL_VISIBILITIES = {
  public: ["public"],
  tasks: ["public", "members"],
  admin: ["admin"],
} as const satisfies Record<"public" | "tasks" | "admin", readonly TEventVisibility[]>;

/** The channels an event of this visibility is published on. */
export function channelsOf(visibility: TEventVisibility): ("public" | "tasks" | "admin")[] {
  if (visibility === "admin") return ["admin"];
  return visibility === "public" ? ["tasks", "public"] : ["tasks"];
}

const ZEventBase = z.object({
  orgId: z.string(),
  seq: z.number().int(),
  visibility: ZEventVisibility,
  actorId: z.string().nullable(),
  /** Set when an API key made the change; `actorId` is then the key's creator. */
  actorKey: ZActorKey.nullable(),
  createdAt: z.string(),
});
type TEventBase = z.infer<typeof ZEventBase>;

/** A logged event: a discriminated union on `type`, so `payload` is typed by it. */
export type TEvent<T extends TEventType = TEventType> = { [K in T]: TEventBase & TEventInput<K> }[T];

const eventSchema = <T extends TEventType>(type: T) =>
  ZEventBase.extend({ type: z.literal(type), payload: EVENT_PAYLOADS[type] });
/** A logged event on the wire (the HTTP catch-up): one schema per type. */
export const ZEvent = z.discriminatedUnion("type", [
  eventSchema(EVENT_TYPES[0]),
  ...EVENT_TYPES.slice(1).map((type) => eventSchema(type)),
]);

export const ZEventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export const ZEventPage = z.object({ events: z.array(ZEvent), lastSeq: z.number().int() });
