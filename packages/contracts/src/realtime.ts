import { z } from "zod";
import type { TEventPayload, TEventType } from "./events.ts";
import type { TNotification } from "./notifications.ts";
import type { TPublicEventPayloads, TPublicEventType } from "./public.ts";

/**
 * The WebSocket protocol of the hub at `/ws` (SPEC §7). Every server message is an envelope
 * `{ type, data, scope, meta }`; event messages carry the org's event-log `seq` in `meta`.
 */
export const CHANNELS = ["public", "tasks", "admin"] as const;
export const ZChannel = z.enum(CHANNELS);
export type TChannel = z.infer<typeof ZChannel>;

const ZOrgId = z.string().min(1).max(64);

export const ZSubscribeMessage = z.strictObject({
  type: z.literal("SUBSCRIBE"),
  orgId: ZOrgId,
  channel: ZChannel,
  /** Resume: replay every event after this seq the client may see, then go live. */
  afterSeq: z.number().int().min(0).optional(),
});
export const ZUnsubscribeMessage = z.strictObject({ type: z.literal("UNSUBSCRIBE"), orgId: ZOrgId, channel: ZChannel });
/** The personal inbox channel (SPEC §14): no org; `afterSeq` resumes after the last notification seq seen. */
export const ZInboxSubscribeMessage = z.strictObject({
  type: z.literal("SUBSCRIBE"),
  channel: z.literal("inbox"),
  afterSeq: z.number().int().min(0).optional(),
});
export const ZInboxUnsubscribeMessage = z.strictObject({ type: z.literal("UNSUBSCRIBE"), channel: z.literal("inbox") });
/** The inbox messages as the hub handles them (the wire form is SUBSCRIBE / UNSUBSCRIBE above). */
export type TInboxClientMessage =
  | { type: "SUBSCRIBE_INBOX"; afterSeq?: number | undefined }
  | { type: "UNSUBSCRIBE_INBOX" };

export const ZPongMessage = z.strictObject({ type: z.literal("PONG"), ts: z.number().optional() });
export const ZPingMessage = z.strictObject({ type: z.literal("PING"), ts: z.number().optional() });

export const ZClientMessage = z.discriminatedUnion("type", [
  ZSubscribeMessage,
  ZUnsubscribeMessage,
  ZPongMessage,
  ZPingMessage,
]);
export type TClientMessage = z.infer<typeof ZClientMessage>;
export type TSubscribeMessage = z.infer<typeof ZSubscribeMessage>;

/** Messages a client in the waiting room (no subscription yet) may send. */
export const WAITING_ROOM_TYPES: ReadonlySet<TClientMessage["type"]> = new Set(["SUBSCRIBE", "UNSUBSCRIBE", "PONG"]);

export type TWsErrorCode =
  | "BAD_MESSAGE"
  | "UNKNOWN_TYPE"
  | "NOT_SUBSCRIBED"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "RATE_LIMITED"
  | "TOO_MANY_ROOMS";

export type TPresenceUser = { id: string; name: string; image: string | null };
export type TPresence = { user: TPresenceUser; wsClientId: string };

type Meta = { ts: number; orgId?: string; channel?: TChannel };
/** `seq` is absent only on DELETE_ORG, which the hub sends itself (the org's log is gone). */
type EventMeta = { ts: number; orgId: string; channel: TChannel; seq?: number };
type Room = { orgId: string; channel: TChannel };
type Message<T extends string, D, S extends "INDIVIDUAL" | "CHANNEL" = "INDIVIDUAL"> = {
  type: T;
  data: D;
  scope: S;
  meta: Meta;
};

/** Messages about the connection and its subscriptions. */
export type TControlMessage =
  | Message<"CONNECTION_STATUS", { authenticated: boolean; userId: string | null; wsClientId: string }>
  | Message<"SUBSCRIBED", Room & { lastSeq: number; present: TPresence[] }>
  | Message<"UNSUBSCRIBED", Room & { reason?: string }>
  | Message<"RESYNC", Room & { lastSeq: number }>
  | Message<"PING", { ts: number }>
  | Message<"PONG", { ts: number | null }>
  | Message<"ERROR", { code: TWsErrorCode; message: string; [detail: string]: unknown }>
  /**
   * Presence changes of a room, batched (~100 ms): each socket's final state in the batch.
   * Apply in order (joined, then left) by wsClientId; a socket may find itself in `joined`.
   */
  | Message<"PRESENCE", { joined: TPresence[]; left: TPresence[] }, "CHANNEL">
  /** The inbox channel's control messages: subscribed (with the newest seq), left, or too far behind. */
  | Message<"INBOX_SUBSCRIBED", { channel: "inbox"; lastSeq: number; unreadCount: number }>
  | Message<"INBOX_UNSUBSCRIBED", { channel: "inbox" }>
  | Message<"INBOX_RESYNC", { channel: "inbox"; lastSeq: number }>;

/**
 * A notification written or changed (read, archived, folded): the row as the inbox lists it,
 * and the recipient's unread count after it. `meta.seq` is the row's seq (the resume cursor).
 */
export type TInboxMessage = {
  type: "NOTIFICATION";
  data: { notification: TNotification; unreadCount: number };
  scope: "INDIVIDUAL";
  meta: { ts: number; channel: "inbox"; seq: number };
};

/** An event as the tasks and admin channels carry it: the logged payload. */
export type TEventMessage<T extends TEventType = TEventType> = {
  [K in T]: { type: K; data: TEventPayload<K>; scope: "CHANNEL"; meta: EventMeta };
}[T];

/** An event as the public channel carries it: redacted (see the backend's public view). */
export type TPublicEventMessage<T extends TPublicEventType = TPublicEventType> = {
  [K in T]: { type: K; data: TPublicEventPayloads[K]; scope: "CHANNEL"; meta: EventMeta };
}[T];

/** Every message the hub sends (SPEC §7). */
export type TServerMessage = TControlMessage | TEventMessage | TPublicEventMessage | TInboxMessage;
