import type { TChannel, TControlMessage, TPresence } from "@tandem/contracts";
import type { EventRow } from "@tandem/database";
import type { Client as BaseClient } from "./client.ts";
import { type PublicSettings, toPublicEvent } from "./public-view.ts";

/** The hub's state, shared by its parts: rooms, the orgs it follows, replays in progress. */
export type Replay = { afterSeq: number; buffer: { seq: number; message: string }[] };
export type Room = {
  key: string;
  orgId: string;
  channel: TChannel;
  members: Set<Client>;
  /** Clients catching up from `afterSeq`: live events are buffered for them, not published. */
  replaying: Map<Client, Replay>;
};
export type Client = BaseClient<Room>;
/** An event as one channel sees it (null: nothing for that channel). */
export type Rendered = { seq: number; message: string | null };
export type OrgState = {
  /** The last seq this instance has fanned out; the tailer fetches after it. */
  cursor: number;
  settings: PublicSettings;
  /** Seq of the last change to teams or permissions: admin rooms are re-checked after it. */
  authzChangedAt: number;
  /** Users removed from the org, with the seq of their removal. */
  removed: Map<string, number>;
  fetching: boolean;
  dirty: boolean;
};

/** An event as a room's channel sees it, serialized; null when the channel sees nothing of it. */
export function renderEvent(event: EventRow, room: Room, settings: PublicSettings): string | null {
  const view = room.channel === "public" ? toPublicEvent(event, settings) : { type: event.type, data: event.payload };
  if (!view) return null;
  return JSON.stringify({
    type: view.type,
    data: view.data,
    scope: "CHANNEL",
    meta: { ts: Date.now(), orgId: event.orgId, channel: room.channel, seq: event.seq },
  });
}

/** Who is in a room, for presence; never on the public channel. */
export function presenceOf(room: Room): TPresence[] {
  if (room.channel === "public") return [];
  return [...room.members].flatMap((member) => (member.user ? [{ user: member.user, wsClientId: member.id }] : []));
}

/** A control message to a whole room (presence), without a seq. */
export function envelope(type: "USER_SUBSCRIBED" | "USER_UNSUBSCRIBED", data: TPresence, room: Room): string {
  const message: TControlMessage = {
    type,
    data,
    scope: "CHANNEL",
    meta: { ts: Date.now(), orgId: room.orgId, channel: room.channel },
  };
  return JSON.stringify(message);
}
