import {
  type TClientMessage,
  type TInboxClientMessage,
  type TWsErrorCode,
  WAITING_ROOM_TYPES,
  WS_CLOSE,
} from "@tandem/contracts";
import type { Database } from "@tandem/database";
import type { Logger } from "@tandem/util/server";
import type { Server } from "bun";
import { Access } from "./access.ts";
import { Client as BaseClient, type Socket, type SocketData } from "./client.ts";
import { InboxChannel } from "./inbox.ts";
import { OrgFeed } from "./org-feed.ts";
import { parseClientMessage } from "./protocol.ts";
import { Replayer } from "./replay.ts";
import { type Client, Rooms, subscribedMessage } from "./rooms.ts";

export type { Socket, SocketData } from "./client.ts";

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
  private server: Server<SocketData> | null = null;
  private readonly clients = new Map<Socket, Client>();
  private readonly rooms: Rooms;
  private readonly feed: OrgFeed;
  private readonly access: Access;
  private readonly inbox: InboxChannel;

  constructor(
    readonly db: Database,
    private readonly logger: Logger,
    private readonly options: HubOptions = DEFAULT_HUB_OPTIONS,
  ) {
    const server = () => this.server;
    this.inbox = new InboxChannel(db, logger);
    this.rooms = new Rooms(server, (orgId) => this.feed.forget(orgId));
    this.feed = new OrgFeed({
      db,
      logger,
      rooms: this.rooms,
      server,
      onEffect: (org, event, effect) => this.access.apply(org, event, effect),
    });
    this.access = new Access({
      db,
      rooms: this.rooms,
      feed: this.feed,
      replayer: new Replayer(db, this.rooms, options),
      isOpen: (client) => this.clients.has(client.ws),
      guard: (client, work) => this.guard(client, work),
      closeKey: (keyId) => this.closeSocketsOfKey(keyId),
    });
  }

  attach(server: Server<SocketData>): void {
    this.server = server;
  }

  /** Upgrades a request to a hub socket carrying `data`; false when it is not an upgrade. */
  upgrade(request: Request, data: SocketData): boolean {
    return this.server?.upgrade(request, { data }) ?? false;
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

  /** These users' inboxes changed (this process, or a NOTIFY from another): tell their inbox sockets. */
  inboxChanged(userIds: readonly string[]): Promise<void> {
    return this.inbox.changed(userIds);
  }

  trackedOrgIds(): string[] {
    return this.feed.orgIds();
  }

  /** The poll's report of an org's last committed seq: fetch when we are behind it. */
  observe(orgId: string, lastSeq: number): void {
    this.feed.observe(orgId, lastSeq);
  }

  /**
   * Something committed in this org (up to `seq` when known): fan the log out after our
   * cursor, in seq order, unless a read in progress or done already reached `seq`.
   */
  wake(orgId: string, seq?: number): Promise<void> {
    return this.feed.wake(orgId, seq);
  }

  /** A NOTIFY of the org's event `seq`: read the log only if we have not delivered it yet. */
  notified(orgId: string, seq: number): void {
    this.feed.observe(orgId, seq);
  }

  stats() {
    return { clients: this.clients.size, rooms: this.rooms.size, orgs: this.feed.size };
  }

  /** Closes every socket opened with an API key (revoked): 4401, as for an ended session. */
  closeSocketsOfKey(keyId: string): number {
    let closed = 0;
    for (const client of [...this.clients.values()]) {
      if (client.apiKey?.id !== keyId) continue;
      client.stopHeartbeat();
      client.ws.close(WS_CLOSE.sessionEnded, "API key revoked");
      closed += 1;
    }
    return closed;
  }

  open(ws: Socket): Client {
    const client: Client = new BaseClient(ws);
    const { user, apiKey, autoSubscribeOrgId } = ws.data;
    this.clients.set(ws, client);
    client.startHeartbeat(this.options.pingIntervalMs, this.options.pongTimeoutMs);
    client.send({
      type: "CONNECTION_STATUS",
      scope: "INDIVIDUAL",
      data: { authenticated: Boolean(user ?? apiKey), userId: user?.id ?? null, wsClientId: client.id },
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
    for (const room of [...client.rooms]) this.rooms.leave(client, room, false);
    this.rooms.forgetReplays(client);
    this.inbox.leave(client, false);
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
    const waiting = client.rooms.size === 0 && !this.inbox.holds(client);
    const inboxControl = msg.type === "SUBSCRIBE_INBOX" || msg.type === "UNSUBSCRIBE_INBOX";
    if (waiting && !inboxControl && !WAITING_ROOM_TYPES.has(msg.type)) {
      this.offence(client, "NOT_SUBSCRIBED", `${msg.type} is not allowed before SUBSCRIBE`);
      return;
    }
    this.handle(client, msg);
  }

  private handle(client: Client, msg: TClientMessage | TInboxClientMessage): void {
    switch (msg.type) {
      case "SUBSCRIBE_INBOX":
        this.guard(client, this.inbox.subscribe(client, msg.afterSeq));
        return;
      case "UNSUBSCRIBE_INBOX":
        if (this.inbox.holds(client)) this.inbox.leave(client, true);
        else client.send({ type: "INBOX_UNSUBSCRIBED", scope: "INDIVIDUAL", data: { channel: "inbox" } });
        return;
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
        const room = this.rooms.get(msg.orgId, msg.channel);
        if (this.rooms.holds(room, client)) this.rooms.leave(client, room, true);
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

  /**
   * SUBSCRIBE: authorize (session expiry checked, membership read from the database),
   * then join the room, replaying from `afterSeq` first when given.
   */
  private async subscribe(
    client: Client,
    msg: Extract<TClientMessage, { type: "SUBSCRIBE" }>,
    quiet: boolean,
  ): Promise<void> {
    if (this.rooms.holds(this.rooms.get(msg.orgId, msg.channel), client)) {
      if (!quiet) client.error("BAD_MESSAGE", `Already subscribed to ${msg.channel}`);
      return;
    }
    if (client.rooms.size >= this.options.maxRoomsPerClient) {
      if (!quiet)
        this.offence(client, "TOO_MANY_ROOMS", `At most ${this.options.maxRoomsPerClient} subscriptions per socket`);
      return;
    }
    const decision = await this.access.authorise(client, msg.orgId, msg.channel);
    if (!this.clients.has(client.ws)) return; // closed while we were checking
    if (!decision.ok) {
      if (!quiet) this.offence(client, decision.code, decision.message);
      return;
    }
    const org = this.access.admit(client, msg.orgId, msg.channel, decision);
    if (!org) return this.subscribe(client, msg, quiet);
    const room = this.rooms.open(msg.orgId, msg.channel);
    client.ws.send(subscribedMessage(room, org.cursor));
    if (msg.afterSeq === undefined) {
      this.rooms.join(client, room);
      return;
    }
    await this.access.replay(client, room, org, msg.afterSeq);
  }

  /**
   * The org was deleted (its log went with it): every socket in its rooms gets DELETE_ORG and
   * leaves them. Called on this instance's own commit, a NOTIFY, or a poll that no longer
   * finds the org.
   */
  dropOrg(orgId: string): void {
    for (const channel of ["public", "tasks", "admin"] as const) {
      const room = this.rooms.get(orgId, channel);
      for (const client of this.rooms.occupants(room)) {
        if (!room) break;
        client.send({
          type: "DELETE_ORG",
          scope: "CHANNEL",
          data: { org: { id: orgId } },
          meta: { orgId, channel },
        });
        this.rooms.leave(client, room, true, "org_deleted");
      }
    }
    this.feed.forget(orgId);
  }
}
