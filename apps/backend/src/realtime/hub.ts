import {
  isAdmin,
  PUBLIC_EXCERPT_CHARS,
  type TChannel,
  type TClientMessage,
  type TEnvelope,
  type TEventType,
  type TPresenceUser,
  type TWsErrorCode,
  WAITING_ROOM_TYPES,
  WS_CLOSE,
  ZClientMessage,
} from "@tandem/contracts";
import {
  type Database,
  type EventRow,
  eventBounds,
  getMemberOrg,
  getOrg,
  lastEventSeq,
  listEvents,
} from "@tandem/database";
import { traced } from "@tandem/opentelemetry";
import type { Logger } from "@tandem/util";
import type { Server } from "bun";
import pLimit from "p-limit";
import { Client as BaseClient, BURST, type Socket } from "./client.ts";
import { type PublicSettings, toPublicEvent } from "./public-view.ts";
import { ReplayCache } from "./replay-cache.ts";

export type { Socket } from "./client.ts";

export type HubOptions = {
  pingIntervalMs: number;
  pongTimeoutMs: number;
  /** Messages closer together than this are an offence (flood control). */
  minMessageIntervalMs: number;
  /** Offences tolerated before the socket is closed with 1008; one is forgiven per quiet 10 s. */
  maxOffences: number;
  maxRoomsPerClient: number;
  /** Events a socket may be replayed per minute; a resume past that gets RESYNC instead. */
  maxReplayEvents: number;
};

export const DEFAULT_HUB_OPTIONS: HubOptions = {
  pingIntervalMs: 30_000,
  pongTimeoutMs: 60_000,
  minMessageIntervalMs: 25,
  maxOffences: 10,
  maxRoomsPerClient: 10,
  maxReplayEvents: 1000,
};

/** Checks the session is still valid (not only the cookie cache); null when it is not. */
export type SessionCheck = (headers: Headers) => Promise<{ userId: string } | null>;

type Replay = { afterSeq: number; buffer: { seq: number; message: string }[] };
type Room = {
  key: string;
  orgId: string;
  channel: TChannel;
  members: Set<Client>;
  /** Clients catching up from `afterSeq`: live events are buffered for them, not published. */
  replaying: Map<Client, Replay>;
};
type Client = BaseClient<Room>;
/** An event as one channel sees it (null: nothing for that channel). */
type Rendered = { seq: number; message: string | null };
type OrgState = {
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

const FORGIVE_AFTER_MS = 10_000;
const REPLAY_CHUNK = 100;
/** Replay reads in flight across all sockets: the rest of the pool stays for requests. */
const REPLAY_READS = 2;
/** Past this much unsent data, a replay waits for the socket before reading more. */
const REPLAY_BUFFER_BYTES = 256 * 1024;

/** Resolves on the next macrotask, then (bounded) until the socket has sent most of its buffer. */
async function drained(ws: Socket): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  for (let waited = 0; ws.readyState === 1 && ws.getBufferedAmount() > REPLAY_BUFFER_BYTES && waited < 200; waited++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
const ALL_VISIBILITIES = ["public", "members", "admin"] as const;
const CHANNEL_VISIBILITIES: Record<TChannel, ("public" | "members" | "admin")[]> = {
  public: ["public"],
  tasks: ["public", "members"],
  admin: ["admin"],
};
const AUTHZ_EVENTS = new Set<TEventType>(["UPDATE_TEAM", "DELETE_TEAM", "DELETE_MEMBER"]);

/**
 * The real-time hub: rooms `${orgId}:${channel}` on Bun's native pub/sub, fed in seq order
 * from the event log. One instance per process; every instance tails the same log, so a
 * change made anywhere reaches every socket, in commit order.
 */
export class Hub {
  private server: Server<unknown> | null = null;
  private readonly clients = new Map<Socket, Client>();
  private readonly rooms = new Map<string, Room>();
  private readonly orgs = new Map<string, OrgState>();
  private readonly replayReads = pLimit(REPLAY_READS);
  private readonly publicChunks = new ReplayCache<Rendered>(REPLAY_CHUNK);

  constructor(
    private readonly db: Database,
    private readonly checkSession: SessionCheck,
    private readonly logger: Logger,
    private readonly options: HubOptions = DEFAULT_HUB_OPTIONS,
  ) {}

  attach(server: Server<unknown>): void {
    this.server = server;
  }

  /** Closes every socket with 1001 (server going away). */
  shutdown(): void {
    for (const client of this.clients.values()) {
      client.stopHeartbeat();
      client.ws.close(1001, "server shutting down");
    }
  }

  /**
   * Closes every socket of one user (sign-out, session revoked, removed from an org): they
   * reconnect and re-subscribe with whatever access they still have. Returns how many.
   */
  closeSocketsOf(userId: string, { code, reason }: { code: number; reason: string }): number {
    let closed = 0;
    for (const client of [...this.clients.values()]) {
      if (client.user?.id !== userId) continue;
      client.stopHeartbeat();
      client.ws.close(code, reason);
      closed += 1;
    }
    return closed;
  }

  trackedOrgIds(): string[] {
    return [...this.orgs.keys()];
  }

  /** The poll's report of an org's last committed seq: fetch when we are behind it. */
  observe(orgId: string, lastSeq: number): void {
    const org = this.orgs.get(orgId);
    if (org && lastSeq > org.cursor) void this.wake(orgId);
  }

  stats() {
    return { clients: this.clients.size, rooms: this.rooms.size, orgs: this.orgs.size };
  }

  // ------------------------------------------------------------------------------------------
  // Connection lifecycle

  open(ws: Socket, user: TPresenceUser | null, headers: Headers, autoSubscribeOrgId: string | null): Client {
    const client: Client = new BaseClient(ws, user, headers);
    this.clients.set(ws, client);
    client.startHeartbeat(this.options.pingIntervalMs, this.options.pongTimeoutMs);
    client.send({
      type: "CONNECTION_STATUS",
      scope: "INDIVIDUAL",
      data: { authenticated: Boolean(user), wsClientId: client.id },
    });
    // Best effort: a board page passes ?orgId= to start on the org's public channel.
    if (autoSubscribeOrgId)
      void this.subscribe(client, { type: "SUBSCRIBE", orgId: autoSubscribeOrgId, channel: "public" }, true);
    return client;
  }

  close(ws: Socket): void {
    const client = this.clients.get(ws);
    if (!client) return;
    client.stopHeartbeat();
    this.clients.delete(ws);
    for (const room of [...client.rooms]) this.leave(client, room, false);
    for (const room of this.rooms.values()) room.replaying.delete(client);
  }

  message(ws: Socket, raw: string | Buffer): void {
    const client = this.clients.get(ws);
    if (!client) return;
    const now = Date.now();
    if (client.offenceCount > 0 && now - client.lastOffenceAt > FORGIVE_AFTER_MS) {
      client.offenceCount -= 1;
      client.lastOffenceAt = now;
    }
    const interval = Math.max(1, this.options.minMessageIntervalMs);
    client.tokens = Math.min(BURST, client.tokens + (now - client.lastMessageAt) / interval);
    client.lastMessageAt = now;
    if (client.tokens < 1) {
      this.offence(client, "RATE_LIMITED", "Too many messages: slow down");
      return;
    }
    client.tokens -= 1;

    let parsed: unknown;
    try {
      parsed = JSON.parse(typeof raw === "string" ? raw : raw.toString("utf8"));
    } catch {
      this.offence(client, "BAD_MESSAGE", "Messages must be JSON");
      return;
    }
    const result = ZClientMessage.safeParse(parsed);
    if (!result.success) {
      const type = (parsed as { type?: unknown } | null)?.type;
      const known = ["SUBSCRIBE", "UNSUBSCRIBE", "PONG", "PING"].includes(String(type));
      const issue = result.error.issues[0];
      this.offence(
        client,
        known ? "BAD_MESSAGE" : "UNKNOWN_TYPE",
        known
          ? `${issue?.path.join(".") || "message"}: ${issue?.message ?? "invalid"}`
          : `Unknown message type ${JSON.stringify(type)}`,
      );
      return;
    }
    const msg = result.data;
    if (client.rooms.size === 0 && !WAITING_ROOM_TYPES.has(msg.type)) {
      this.offence(client, "NOT_SUBSCRIBED", `${msg.type} is not allowed before SUBSCRIBE`);
      return;
    }
    this.handle(client, msg);
  }

  private handle(client: Client, msg: TClientMessage): void {
    switch (msg.type) {
      case "PONG":
        client.pong(msg.ts);
        return;
      case "PING":
        client.send({ type: "PONG", scope: "INDIVIDUAL", data: { ts: msg.ts ?? null } });
        return;
      case "SUBSCRIBE":
        void this.subscribe(client, msg, false);
        return;
      case "UNSUBSCRIBE": {
        const room = this.rooms.get(`${msg.orgId}:${msg.channel}`);
        if (room && (client.rooms.has(room) || room.replaying.has(client))) this.leave(client, room, true);
        else
          client.send({ type: "UNSUBSCRIBED", scope: "INDIVIDUAL", data: { orgId: msg.orgId, channel: msg.channel } });
        return;
      }
    }
  }

  private offence(client: Client, code: TWsErrorCode, message: string): void {
    client.offenceCount += 1;
    client.lastOffenceAt = Date.now();
    if (client.offenceCount > this.options.maxOffences) {
      client.ws.close(WS_CLOSE.policyViolation, "too many protocol violations");
      return;
    }
    client.error(code, message, { offences: client.offenceCount, limit: this.options.maxOffences });
  }

  // ------------------------------------------------------------------------------------------
  // Subscriptions

  /**
   * SUBSCRIBE: authorize (the session is re-checked, membership read from the database),
   * then join the room, replaying from `afterSeq` first when given.
   */
  private async subscribe(
    client: Client,
    msg: Extract<TClientMessage, { type: "SUBSCRIBE" }>,
    quiet: boolean,
  ): Promise<void> {
    const key = `${msg.orgId}:${msg.channel}`;
    const existing = this.rooms.get(key);
    if (existing && (client.rooms.has(existing) || existing.replaying.has(client))) {
      if (!quiet) client.error("BAD_MESSAGE", `Already subscribed to ${msg.channel}`);
      return;
    }
    if (client.rooms.size >= this.options.maxRoomsPerClient) {
      if (!quiet)
        this.offence(client, "TOO_MANY_ROOMS", `At most ${this.options.maxRoomsPerClient} subscriptions per socket`);
      return;
    }
    const decision = await traced("ws.subscribe", () => this.authorize(client, msg.orgId, msg.channel), {
      "tandem.org_id": msg.orgId,
      "tandem.channel": msg.channel,
    });
    if (!this.clients.has(client.ws)) return; // closed while we were checking
    if (!decision.ok) {
      if (!quiet) this.offence(client, decision.code, decision.message);
      return;
    }
    const org = this.track(msg.orgId, decision.seq, decision.settings);
    // A removal or permission change committed while we were authorizing: decide again.
    const userId = client.user?.id;
    const revokedAt = userId ? (org.removed.get(userId) ?? 0) : 0;
    if (revokedAt > decision.seq || (msg.channel === "admin" && org.authzChangedAt > decision.seq)) {
      return this.subscribe(client, msg, quiet);
    }
    const room = this.room(key, msg.orgId, msg.channel);
    client.send({
      type: "SUBSCRIBED",
      scope: "INDIVIDUAL",
      data: { orgId: msg.orgId, channel: msg.channel, lastSeq: org.cursor, present: this.presence(room) },
      meta: { orgId: msg.orgId, channel: msg.channel },
    });
    if (msg.afterSeq === undefined) {
      this.join(client, room);
      return;
    }
    await this.replay(client, room, org, msg.afterSeq);
  }

  private async authorize(
    client: Client,
    orgId: string,
    channel: TChannel,
  ): Promise<{ ok: true; seq: number; settings: PublicSettings } | { ok: false; code: TWsErrorCode; message: string }> {
    if (channel === "public") {
      // Seq first: the settings read after it are at least that recent.
      const seq = await lastEventSeq(this.db, { orgId });
      const org = await getOrg(this.db, { orgId });
      if (!org?.publicBoard) return { ok: false, code: "NOT_FOUND", message: "No public board for this org" };
      return { ok: true, seq, settings: { publicBoard: org.publicBoard, publicFields: org.publicFields } };
    }
    if (!client.user) return { ok: false, code: "UNAUTHORIZED", message: "Sign in to subscribe to this channel" };
    const session = await this.checkSession(client.headers);
    if (session?.userId !== client.user.id) return { ok: false, code: "UNAUTHORIZED", message: "Session expired" };
    const found = await getMemberOrg(this.db, { orgId, userId: client.user.id });
    if (!found) return { ok: false, code: "NOT_FOUND", message: "Organization not found" };
    if (channel === "admin" && !isAdmin(found.access.permissions)) {
      return { ok: false, code: "FORBIDDEN", message: "The admin channel needs an admin permission" };
    }
    const settings = { publicBoard: found.org.publicBoard, publicFields: found.org.publicFields };
    return { ok: true, seq: found.lastEventSeq, settings };
  }

  private room(key: string, orgId: string, channel: TChannel): Room {
    let room = this.rooms.get(key);
    if (!room) {
      room = { key, orgId, channel, members: new Set(), replaying: new Map() };
      this.rooms.set(key, room);
    }
    return room;
  }

  private join(client: Client, room: Room): void {
    room.replaying.delete(client);
    room.members.add(client);
    client.rooms.add(room);
    client.ws.subscribe(room.key);
    if (client.user && room.channel !== "public") {
      // Presence never reaches anonymous visitors of the public board.
      client.ws.publish(room.key, this.envelope("USER_SUBSCRIBED", { user: client.user, wsClientId: client.id }, room));
    }
  }

  private leave(client: Client, room: Room, tell: boolean, reason?: string): void {
    room.replaying.delete(client);
    const wasMember = room.members.delete(client);
    client.rooms.delete(room);
    if (client.ws.readyState === 1) client.ws.unsubscribe(room.key);
    if (wasMember && client.user && room.channel !== "public") {
      this.server?.publish(
        room.key,
        this.envelope("USER_UNSUBSCRIBED", { user: client.user, wsClientId: client.id }, room),
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
      this.rooms.delete(room.key);
      if (![...this.rooms.values()].some((other) => other.orgId === room.orgId)) this.orgs.delete(room.orgId);
    }
  }

  private presence(room: Room): { user: TPresenceUser; wsClientId: string }[] {
    if (room.channel === "public") return [];
    return [...room.members].flatMap((member) => (member.user ? [{ user: member.user, wsClientId: member.id }] : []));
  }

  /**
   * Sends what the client missed after `afterSeq`, then joins it to the live room with no gap
   * and no duplicate: live events arriving meanwhile are buffered and flushed past the replay.
   */
  private async replay(client: Client, room: Room, org: OrgState, afterSeq: number): Promise<void> {
    const state: Replay = { afterSeq, buffer: [] };
    room.replaying.set(client, state);
    const upto = org.cursor;
    const bounds = await eventBounds(this.db, { orgId: room.orgId });
    const missingFrom = bounds.oldest ?? bounds.last + 1;
    const tooOld = afterSeq < bounds.last && afterSeq + 1 < missingFrom;
    const tooMuch = afterSeq <= upto && !client.takeReplay(upto - afterSeq, this.options.maxReplayEvents);
    if (afterSeq > bounds.last || tooOld || tooMuch) {
      // Older than the retained log, from a different history, or more than this socket's
      // replay budget (WS_MAX_REPLAY_EVENTS a minute): start from a snapshot (cached per seq).
      if (!room.replaying.has(client)) return;
      client.send({
        type: "RESYNC",
        scope: "INDIVIDUAL",
        data: { orgId: room.orgId, channel: room.channel, lastSeq: upto },
        meta: { orgId: room.orgId, channel: room.channel },
      });
      state.afterSeq = upto;
    } else {
      let after = afterSeq;
      while (after < upto) {
        // Bounded work per step: a few reads at a time across all sockets, small chunks, and
        // a yield between them so other tenants' requests keep flowing during a replay storm.
        const events = await this.replayChunk(room, org, after, upto);
        if (!room.replaying.has(client)) return; // unsubscribed or closed meanwhile
        for (const { seq, message } of events) {
          if (seq > upto) break;
          if (message) client.ws.send(message);
        }
        if (events.length < REPLAY_CHUNK) break;
        after = events.at(-1)?.seq ?? upto;
        await drained(client.ws);
      }
      state.afterSeq = upto;
    }
    if (!room.replaying.has(client)) return;
    for (const { seq, message } of state.buffer) if (seq > state.afterSeq) client.ws.send(message);
    this.join(client, room);
  }

  /**
   * The next chunk of a room's log after `after`. Public chunks (anonymous, excerpted, the
   * same for everyone) are shared through the replay cache; reads run a few at a time.
   */
  private replayChunk(room: Room, org: OrgState, after: number, upto: number): Promise<Rendered[]> {
    const read = async (bounded: boolean) => {
      const events = await this.replayReads(() =>
        listEvents(this.db, {
          orgId: room.orgId,
          after,
          ...(bounded ? { upto } : {}),
          limit: REPLAY_CHUNK,
          visibilities: CHANNEL_VISIBILITIES[room.channel],
          ...(room.channel === "public" ? { descriptionChars: PUBLIC_EXCERPT_CHARS + 1 } : {}),
        }),
      );
      return events.map((event) => ({ seq: event.seq, message: this.render(event, room, org) }));
    };
    if (room.channel !== "public") return read(true);
    const key = `${room.key}:${org.settings.publicFields.join(",")}`;
    return this.publicChunks.chunk(key, after, () => read(false));
  }

  // ------------------------------------------------------------------------------------------
  // Fan-out from the event log

  /**
   * Starts following an org from the seq its first subscriber was authorized at (not from a
   * fresh read): a removal committed after that authorization is then still seen and applied.
   */
  private track(orgId: string, seq: number, settings: PublicSettings): OrgState {
    const known = this.orgs.get(orgId);
    if (known) return known;
    const state: OrgState = {
      cursor: seq,
      settings,
      authzChangedAt: 0,
      removed: new Map(),
      fetching: false,
      dirty: false,
    };
    this.orgs.set(orgId, state);
    void this.wake(orgId);
    return state;
  }

  /**
   * Something committed in this org (a notification, a poll, or a local mutation): read the
   * log after our cursor and fan it out, in seq order. Concurrent wakes coalesce.
   */
  async wake(orgId: string): Promise<void> {
    const org = this.orgs.get(orgId);
    if (!org) return;
    if (org.fetching) {
      org.dirty = true;
      return;
    }
    org.fetching = true;
    try {
      await traced("hub.fanout", () => this.drain(orgId, org), { "tandem.org_id": orgId });
    } catch (error) {
      this.logger.error("hub fetch failed", { orgId, error: error instanceof Error ? error.message : String(error) });
    } finally {
      org.fetching = false;
    }
  }

  /** Reads the log after the org's cursor and delivers it, until nothing new is left. */
  private async drain(orgId: string, org: OrgState): Promise<void> {
    do {
      org.dirty = false;
      let events: EventRow[];
      do {
        events = await listEvents(this.db, {
          orgId,
          after: org.cursor,
          limit: 500,
          visibilities: [...ALL_VISIBILITIES],
        });
        for (const event of events) {
          // The org may have been dropped (its last room left) and followed anew meanwhile.
          if (this.orgs.get(orgId) !== org) return;
          this.deliver(org, event);
        }
      } while (events.length === 500);
    } while (org.dirty);
  }

  private deliver(org: OrgState, event: EventRow): void {
    if (event.seq <= org.cursor) return;
    org.cursor = event.seq;
    const type = event.type as TEventType;
    // Access changes take effect before anything after them is delivered.
    if (AUTHZ_EVENTS.has(type)) this.applyAuthzChange(org, event);
    if (type === "UPDATE_ORG") this.applyOrgSettings(org, event);
    const targets: TChannel[] =
      event.visibility === "admin" ? ["admin"] : event.visibility === "public" ? ["tasks", "public"] : ["tasks"];
    for (const channel of targets) {
      const room = this.rooms.get(`${event.orgId}:${channel}`);
      if (!room) continue;
      const message = this.render(event, room, org);
      if (!message) continue;
      for (const replay of room.replaying.values()) {
        if (event.seq > replay.afterSeq) replay.buffer.push({ seq: event.seq, message });
      }
      if (room.members.size === 0) continue;
      this.publish(room, message, event);
    }
  }

  /** Publishes to the room, skipping the socket whose request caused the change. */
  private publish(room: Room, message: string, event: EventRow): void {
    if (event.origin) {
      for (const member of room.members) {
        if (member.id === event.origin && member.user?.id === event.actorId) {
          member.ws.publish(room.key, message); // Bun's ws.publish excludes the sender
          return;
        }
      }
    }
    this.server?.publish(room.key, message);
  }

  private render(event: EventRow, room: Room, org: OrgState): string | null {
    const type = event.type as TEventType;
    const view =
      room.channel === "public" ? toPublicEvent(type, event.payload, org.settings) : { type, data: event.payload };
    if (!view) return null;
    return JSON.stringify({
      type: view.type,
      data: view.data,
      scope: "CHANNEL",
      meta: { ts: Date.now(), orgId: event.orgId, channel: room.channel, seq: event.seq },
    });
  }

  private envelope(type: TEnvelope["type"], data: unknown, room: Room): string {
    return JSON.stringify({
      type,
      data,
      scope: "CHANNEL",
      meta: { ts: Date.now(), orgId: room.orgId, channel: room.channel },
    });
  }

  private applyAuthzChange(org: OrgState, event: EventRow): void {
    if (event.type === "DELETE_MEMBER") {
      const removedUser = String(event.payload.userId ?? "");
      org.removed.set(removedUser, event.seq);
      const revoked = new Set<Client>();
      for (const channel of ["tasks", "admin"] as const) {
        const room = this.rooms.get(`${event.orgId}:${channel}`);
        for (const client of room ? [...room.members, ...room.replaying.keys()] : []) {
          if (!room || client.user?.id !== removedUser) continue;
          this.leave(client, room, true, "membership_revoked");
          revoked.add(client);
        }
      }
      // SPEC §7: a removed member's sockets are closed, after they were told why.
      for (const client of revoked) {
        client.stopHeartbeat();
        client.ws.close(WS_CLOSE.membershipRevoked, "membership revoked");
      }
      return;
    }
    // Teams or their permissions changed: drop admin listeners now, re-admit who still qualifies.
    org.authzChangedAt = event.seq;
    const room = this.rooms.get(`${event.orgId}:admin`);
    for (const client of room ? [...room.members, ...room.replaying.keys()] : []) {
      if (!room) break;
      this.leave(client, room, false);
      void this.readmit(client, room.orgId, event.seq - 1);
    }
  }

  private async readmit(client: Client, orgId: string, afterSeq: number): Promise<void> {
    const decision = await this.authorize(client, orgId, "admin");
    if (!this.clients.has(client.ws)) return;
    if (!decision.ok) {
      client.send({
        type: "UNSUBSCRIBED",
        scope: "INDIVIDUAL",
        data: { orgId, channel: "admin", reason: "permission_revoked" },
        meta: { orgId, channel: "admin" },
      });
      return;
    }
    const org = this.track(orgId, decision.seq, decision.settings);
    const room = this.room(`${orgId}:admin`, orgId, "admin");
    await this.replay(client, room, org, afterSeq);
  }

  /**
   * The org was deleted (its log went with it): every socket in its rooms gets DELETE_ORG and
   * leaves them. Called on this instance's own commit, a NOTIFY, or a poll that no longer
   * finds the org.
   */
  dropOrg(orgId: string): void {
    for (const channel of ["public", "tasks", "admin"] as const) {
      const room = this.rooms.get(`${orgId}:${channel}`);
      if (!room) continue;
      for (const client of [...room.members, ...room.replaying.keys()]) {
        client.send({
          type: "DELETE_ORG",
          scope: "CHANNEL",
          data: { org: { id: orgId } },
          meta: { orgId, channel },
        });
        this.leave(client, room, true, "org_deleted");
      }
    }
    this.orgs.delete(orgId);
  }

  private applyOrgSettings(org: OrgState, event: EventRow): void {
    const next = event.payload.org as { publicBoard?: boolean; publicFields?: string[] } | undefined;
    if (!next) return;
    org.settings = { publicBoard: Boolean(next.publicBoard), publicFields: next.publicFields ?? [] };
    if (org.settings.publicBoard) return;
    const room = this.rooms.get(`${event.orgId}:public`);
    if (!room) return;
    for (const client of [...room.members, ...room.replaying.keys()])
      this.leave(client, room, true, "public_board_disabled");
  }
}
