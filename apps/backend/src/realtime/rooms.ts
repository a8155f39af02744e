import type { TChannel, TControlMessage, TPresence } from "@tandem/contracts";

const CHANNELS: readonly TChannel[] = ["public", "tasks", "admin"];

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
  /** Presence changes not yet sent, by wsClientId: the last one of each socket wins. */
  presence: Map<string, PresenceChange>;
  /** Who was present as of the last batch, serialized for SUBSCRIBED (null: to build). */
  presentJson: string | null;
};
type PresenceChange = { presence: TPresence; present: boolean };
export type Client = BaseClient<Room>;
/** An event as one channel sees it (null: nothing for that channel). */
export type Rendered = { seq: number; message: string | null };
export type OrgState = {
  /** The last seq this instance has fanned out; the tailer fetches after it. */
  cursor: number;
  settings: PublicSettings;
  /** Seq of the last change to teams or permissions: admin rooms are re-checked after it. */
  authzChangedAt: number;
  /** Seq of the last change to a project's public board (see `PublicSettings.projects`). */
  projectsChangedAt: number;
  /** Users removed from the org and API keys revoked (by id), with the seq of the event. */
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

/**
 * SUBSCRIBED, with who is in the room (never on the public channel) as of the last presence
 * batch: the list is serialized once per batch, not once per joiner, and what changed since
 * is in the batch still to come, which the joiner receives (it joins the room at once).
 */
export function subscribedMessage(room: Room, lastSeq: number): string {
  if (room.presentJson === null) {
    const present: TPresence[] =
      room.channel === "public"
        ? []
        : [...room.members].flatMap((member) => (member.user ? [{ user: member.user, wsClientId: member.id }] : []));
    room.presentJson = JSON.stringify(present);
  }
  const orgId = JSON.stringify(room.orgId);
  const channel = JSON.stringify(room.channel);
  // TControlMessage "SUBSCRIBED", spliced around the cached list.
  return (
    `{"type":"SUBSCRIBED","scope":"INDIVIDUAL","data":{"orgId":${orgId},"channel":${channel},"lastSeq":${lastSeq},` +
    `"present":${room.presentJson}},"meta":{"ts":${Date.now()},"orgId":${orgId},"channel":${channel}}}`
  );
}

/** A room's batched presence changes, without a seq. */
function presenceMessage(room: Room, changes: Map<string, PresenceChange>): string {
  const joined: TPresence[] = [];
  const left: TPresence[] = [];
  for (const change of changes.values()) (change.present ? joined : left).push(change.presence);
  const message: TControlMessage = {
    type: "PRESENCE",
    data: { joined, left },
    scope: "CHANNEL",
    meta: { ts: Date.now(), orgId: room.orgId, channel: room.channel },
  };
  return JSON.stringify(message);
}

/** How long presence changes of a room are gathered into one message. */
export const PRESENCE_BATCH_MS = 100;

/**
 * The rooms of one process, on Bun's native pub/sub: who is in each, who is still catching
 * up, and presence as they join and leave. The last room of an org to empty calls `onOrgLeft`.
 */
export class Rooms {
  private readonly byKey = new Map<string, Room>();
  /** Rooms with presence changes to send, all at the next flush. */
  private readonly presenceDue = new Set<Room>();
  private presenceTimer: ReturnType<typeof setTimeout> | null = null;

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
      room = { key, orgId, channel, members: new Set(), replaying: new Map(), presence: new Map(), presentJson: null };
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

  /** A client starts catching up to the room (indexed on the client, for its close). */
  startReplay(client: Client, room: Room, replay: Replay): void {
    room.replaying.set(client, replay);
    client.replays.add(room);
  }

  private stopReplay(client: Client, room: Room): void {
    room.replaying.delete(client);
    client.replays.delete(room);
  }

  /** A closed socket stops every replay it had in progress. */
  forgetReplays(client: Client): void {
    for (const room of client.replays) room.replaying.delete(client);
    client.replays.clear();
  }

  join(client: Client, room: Room): void {
    this.stopReplay(client, room);
    room.members.add(client);
    client.rooms.add(room);
    client.ws.subscribe(room.key);
    this.presenceChanged(client, room, true);
  }

  leave(client: Client, room: Room, tell: boolean, reason?: string): void {
    this.stopReplay(client, room);
    const wasMember = room.members.delete(client);
    client.rooms.delete(room);
    if (client.ws.readyState === 1) client.ws.unsubscribe(room.key);
    if (wasMember) this.presenceChanged(client, room, false);
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
      this.presenceDue.delete(room);
      if (!CHANNELS.some((channel) => this.byKey.has(`${room.orgId}:${channel}`))) this.onOrgLeft(room.orgId);
    }
  }

  /**
   * Presence (never on the public channel, never of anonymous visitors) is gathered per room
   * and sent as one PRESENCE message a batch: N sockets joining a room cost a few messages to
   * each member, not one per join. The joiner's own SUBSCRIBED carries the full list.
   */
  private presenceChanged(client: Client, room: Room, present: boolean): void {
    if (!client.user || room.channel === "public") return;
    room.presence.set(client.id, { presence: { user: client.user, wsClientId: client.id }, present });
    this.presenceDue.add(room);
    if (this.presenceTimer) return;
    this.presenceTimer = setTimeout(() => this.flushPresence(), PRESENCE_BATCH_MS);
    this.presenceTimer.unref();
  }

  private flushPresence(): void {
    this.presenceTimer = null;
    const server = this.server();
    for (const room of this.presenceDue) {
      if (room.members.size > 0) server?.publish(room.key, presenceMessage(room, room.presence));
      room.presence.clear();
      room.presentJson = null;
    }
    this.presenceDue.clear();
  }
}
