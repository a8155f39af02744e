import { z } from "zod";
import { ZEventType } from "./events.ts";

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

export const CONTROL_TYPES = [
  "CONNECTION_STATUS",
  "SUBSCRIBED",
  "UNSUBSCRIBED",
  "USER_SUBSCRIBED",
  "USER_UNSUBSCRIBED",
  "PING",
  "PONG",
  "RESYNC",
  "ERROR",
] as const;
export const ZServerMessageType = z.union([z.enum(CONTROL_TYPES), ZEventType]);
export type TServerMessageType = z.infer<typeof ZServerMessageType>;

export type TWsErrorCode =
  | "BAD_MESSAGE"
  | "UNKNOWN_TYPE"
  | "NOT_SUBSCRIBED"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "RATE_LIMITED"
  | "TOO_MANY_ROOMS";

export const ZEnvelope = z.object({
  type: ZServerMessageType,
  data: z.unknown(),
  scope: z.enum(["INDIVIDUAL", "CHANNEL"]),
  meta: z.object({
    ts: z.number(),
    orgId: z.string().optional(),
    channel: ZChannel.optional(),
    seq: z.number().int().optional(),
  }),
});
export type TEnvelope = z.infer<typeof ZEnvelope>;

export type TPresenceUser = { id: string; name: string; image: string | null };

/** Close codes the hub uses besides the standard ones (1001 going away, 1008, 1009). */
export const WS_CLOSE = {
  policyViolation: 1008,
  messageTooBig: 1009,
  heartbeatTimeout: 4408,
  membershipRevoked: 4403,
  /** The session the socket was opened with ended (sign-out or revocation). */
  sessionEnded: 4401,
  /** The database did not answer while serving this socket: reconnect and resume with afterSeq. */
  tryAgainLater: 1013,
} as const;
