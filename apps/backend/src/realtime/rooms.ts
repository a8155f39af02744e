import type { TChannel, TControlMessage, TPresence } from "@tandem/contracts";
import type { EventRow } from "@tandem/database";
import type { Server } from "bun";
import type { Client as BaseClient, SocketData } from "./client.ts";
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
  /** Highest seq a wake asked for while a read was in progress (Infinity: unknown); 0 when none. */
  wanted: number;
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

/**
 * The rooms of one process, on Bun's native pub/sub: who is in each, who is still catching
 * up, and presence as they join and leave. The last room of an org to empty calls `onOrgLeft`.
 */
export class Rooms {
  private readonly byKey = new Map<string, Room>();

  constructor(
    private readonly server: () => Server<SocketData> | null,
    private readonly onOrgLeft: (orgId: string) => void,
  ) {}

  get size(): number {
    return this.byKey.size;
  }

  get(orgId: string, channel: TChannel): Room | undefined {
    return this.byKey.get(`${orgId}:${channel}`);
  }

  /** The room, made when it does not exist yet. */
  open(orgId: string, channel: TChannel): Room {
    const key = `${orgId}:${channel}`;
    let room = this.byKey.get(key);
    if (!room) {
      room = { key, orgId, channel, members: new Set(), replaying: new Map() };
      this.byKey.set(key, room);
    }
    return room;
  }

  /** Whether the client is in the room or catching up to it. */
  holds(room: Room | undefined, client: Client): room is Room {
    return Boolean(room && (client.rooms.has(room) || room.replaying.has(client)));
  }

  /** Members and clients still replaying, as a copy safe to leave while iterating. */
  occupants(room: Room | undefined): Client[] {
    return room ? [...room.members, ...room.replaying.keys()] : [];
  }

  /** A closed socket stops every replay it had in progress. */
  forgetReplays(client: Client): void {
    for (const room of this.byKey.values()) room.replaying.delete(client);
  }

  join(client: Client, room: Room): void {
    room.replaying.delete(client);
    room.members.add(client);
    client.rooms.add(room);
    client.ws.subscribe(room.key);
    if (client.user && room.channel !== "public") {
      // Presence never reaches anonymous visitors of the public board.
      client.ws.publish(room.key, envelope("USER_SUBSCRIBED", { user: client.user, wsClientId: client.id }, room));
    }
  }

  leave(client: Client, room: Room, tell: boolean, reason?: string): void {
    room.replaying.delete(client);
    const wasMember = room.members.delete(client);
    client.rooms.delete(room);
    if (client.ws.readyState === 1) client.ws.unsubscribe(room.key);
    if (wasMember && client.user && room.channel !== "public") {
      this.server()?.publish(
        room.key,
        envelope("USER_UNSUBSCRIBED", { user: client.user, wsClientId: client.id }, room),
      );
    }
    if (tell) {
      client.send({
        type: "UNSUBSCRIBED",
        scope: "INDIVIDUAL",
        data: { orgId: room.orgId, channel: room.channel, ...(reason ? { reason } : {}) },
        meta: { orgId: room.orgId, channel: room.channel },
      });
    }
    if (room.members.size === 0 && room.replaying.size === 0) {
      this.byKey.delete(room.key);
      if (![...this.byKey.values()].some((other) => other.orgId === room.orgId)) this.onOrgLeft(room.orgId);
    }
  }
}
