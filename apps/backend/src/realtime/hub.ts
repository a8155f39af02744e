import {
  channelsOf,
  type TChannel,
  type TClientMessage,
  type TPresenceUser,
  type TWsErrorCode,
  visibleTo,
  WAITING_ROOM_TYPES,
  WS_CLOSE,
} from "@tandem/contracts";
import { type Database, type EventRow, listEvents } from "@tandem/database";
import { traced } from "@tandem/opentelemetry";
import type { Logger } from "@tandem/util/server";
import type { Server } from "bun";
import { authorize, type SessionCheck } from "./authorize.ts";
import { Client as BaseClient, type Socket } from "./client.ts";
import { type HubEffect, hubEffect } from "./effects.ts";
import { parseClientMessage } from "./protocol.ts";
import type { PublicSettings } from "./public-view.ts";
import { Replayer } from "./replay.ts";
import { type Client, envelope, type OrgState, presenceOf, type Room, renderEvent } from "./rooms.ts";

export type { SessionCheck } from "./authorize.ts";
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
  private readonly replayer: Replayer;

  constructor(
    readonly db: Database,
    readonly checkSession: SessionCheck,
    private readonly logger: Logger,
    private readonly options: HubOptions = DEFAULT_HUB_OPTIONS,
  ) {
    this.replayer = new Replayer(db, options);
  }

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
      data: { authenticated: Boolean(user), userId: user?.id ?? null, wsClientId: client.id },
    });
    // Best effort: a board page passes ?orgId= to start on the org's public channel.
    if (autoSubscribeOrgId)
      this.guard(
        client,
        this.subscribe(client, { type: "SUBSCRIBE", orgId: autoSubscribeOrgId, channel: "public" }, true),
      );
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
    if (!client.admit(this.options.minMessageIntervalMs)) {
      this.offence(client, "RATE_LIMITED", "Too many messages: slow down");
      return;
    }

    const result = parseClientMessage(raw);
    if (!result.ok) {
      this.offence(client, result.code, result.message);
      return;
    }
    const msg = result.msg;
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
        this.guard(client, this.subscribe(client, msg, false));
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

  /**
   * Subscribing reads the database; if it fails (an outage), close with 1013 so the client
   * reconnects and resumes with afterSeq, instead of leaving a rejection unhandled.
   */
  private guard(client: Client, work: Promise<void>): void {
    work.catch((error) => {
      this.logger.warn("socket work failed; closing 1013", {
        error: error instanceof Error ? error.message : String(error),
      });
      if (this.clients.has(client.ws)) client.ws.close(WS_CLOSE.tryAgainLater, "database unavailable");
    });
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
    const decision = await traced("ws.subscribe", () => authorize(this, client, msg.orgId, msg.channel), {
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
      data: { orgId: msg.orgId, channel: msg.channel, lastSeq: org.cursor, present: presenceOf(room) },
      meta: { orgId: msg.orgId, channel: msg.channel },
    });
    if (msg.afterSeq === undefined) {
      this.join(client, room);
      return;
    }
    await this.replayer.replay(client, room, org, msg.afterSeq, () => this.join(client, room));
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
      client.ws.publish(room.key, envelope("USER_SUBSCRIBED", { user: client.user, wsClientId: client.id }, room));
    }
  }

  private leave(client: Client, room: Room, tell: boolean, reason?: string): void {
    room.replaying.delete(client);
    const wasMember = room.members.delete(client);
    client.rooms.delete(room);
    if (client.ws.readyState === 1) client.ws.unsubscribe(room.key);
    if (wasMember && client.user && room.channel !== "public") {
      this.server?.publish(room.key, envelope("USER_UNSUBSCRIBED", { user: client.user, wsClientId: client.id }, room));
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
          visibilities: visibleTo(null),
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
    // Access changes take effect before anything after them is delivered.
    const effect = hubEffect(event);
    if (effect?.kind === "org-settings") this.applyOrgSettings(org, event.orgId, effect);
    else if (effect) this.applyAuthzChange(org, event, effect);
    for (const channel of channelsOf(event.visibility)) {
      const room = this.rooms.get(`${event.orgId}:${channel}`);
      if (!room) continue;
      const message = renderEvent(event, room, org.settings);
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

  private applyAuthzChange(
    org: OrgState,
    event: EventRow,
    effect: Exclude<HubEffect, { kind: "org-settings" } | null>,
  ): void {
    if (effect.kind === "member-removed") {
      const removedUser = effect.userId;
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
      this.guard(client, this.readmit(client, room.orgId, event.seq - 1));
    }
  }

  private async readmit(client: Client, orgId: string, afterSeq: number): Promise<void> {
    const decision = await authorize(this, client, orgId, "admin");
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
    await this.replayer.replay(client, room, org, afterSeq, () => this.join(client, room));
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

  private applyOrgSettings(org: OrgState, orgId: string, settings: OrgState["settings"]): void {
    org.settings = { publicBoard: settings.publicBoard, publicFields: settings.publicFields };
    if (org.settings.publicBoard) return;
    const room = this.rooms.get(`${orgId}:public`);
    if (!room) return;
    for (const client of [...room.members, ...room.replaying.keys()])
      this.leave(client, room, true, "public_board_disabled");
  }
}
