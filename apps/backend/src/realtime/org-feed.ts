import { channelsOf, visibleTo } from "@tandem/contracts";
import { type Database, type EventRow, listEvents } from "@tandem/database";
import { traced } from "@tandem/opentelemetry";
import type { Logger } from "@tandem/util/server";
import type { Server } from "bun";
import type { SocketData } from "./client.ts";
import { type HubEffect, hubEffect } from "./effects.ts";
import type { PublicSettings } from "./public-view.ts";
import { type OrgState, type Room, type Rooms, renderEvent } from "./rooms.ts";

const PAGE = 500;

export type OrgFeedDeps = {
  db: Database;
  logger: Logger;
  rooms: Rooms;
  server: () => Server<SocketData> | null;
  /** Applies an access change before anything after it is delivered. */
  onEffect: (org: OrgState, event: EventRow, effect: NonNullable<HubEffect>) => void;
};

/**
 * The orgs this process follows, each with a cursor into its event log: a wake reads the log
 * after the cursor and delivers it to the org's rooms, in seq order. Concurrent wakes coalesce.
 */
export class OrgFeed {
  private readonly orgs = new Map<string, OrgState>();

  constructor(private readonly deps: OrgFeedDeps) {}

  get size(): number {
    return this.orgs.size;
  }

  orgIds(): string[] {
    return [...this.orgs.keys()];
  }

  forget(orgId: string): void {
    this.orgs.delete(orgId);
  }

  /**
   * A report of an org's last committed seq (NOTIFY, the poll): fetch only when we are behind
   * it. A read in progress that reaches it covers it: the commit hook and NOTIFY of one event
   * read the log once.
   */
  observe(orgId: string, lastSeq: number): void {
    const org = this.orgs.get(orgId);
    if (org && lastSeq > org.cursor) void this.wake(orgId, lastSeq);
  }

  /**
   * Starts following an org from the seq its first subscriber was authorized at (not from a
   * fresh read): a removal committed after that authorization is then still seen and applied.
   */
  track(orgId: string, seq: number, settings: PublicSettings): OrgState {
    const known = this.orgs.get(orgId);
    if (known) return known;
    const state: OrgState = {
      cursor: seq,
      settings,
      authzChangedAt: 0,
      projectsChangedAt: 0,
      removed: new Map(),
      fetching: false,
      wanted: 0,
    };
    this.orgs.set(orgId, state);
    void this.wake(orgId);
    return state;
  }

  /**
   * Something committed in this org (a notification, a poll, or a local mutation): read the
   * log after our cursor and fan it out, in seq order. Concurrent wakes coalesce.
   */
  async wake(orgId: string, seq = Number.POSITIVE_INFINITY): Promise<void> {
    const org = this.orgs.get(orgId);
    if (!org || seq <= org.cursor) return;
    if (org.fetching) {
      // Read again after this pass only if it may not have reached `seq` (unknown: a commit hook).
      org.wanted = Math.max(org.wanted, seq);
      return;
    }
    org.fetching = true;
    try {
      await traced("hub.fanout", () => this.drain(orgId, org), { "tandem.org_id": orgId });
    } catch (error) {
      this.deps.logger.error("hub fetch failed", {
        orgId,
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
      org.fetching = false;
    }
  }

  /** Reads the log after the org's cursor and delivers it, until nothing new is left. */
  private async drain(orgId: string, org: OrgState): Promise<void> {
    do {
      org.wanted = 0;
      let events: EventRow[];
      do {
        events = await listEvents(this.deps.db, {
          orgId,
          after: org.cursor,
          limit: PAGE,
          visibilities: visibleTo(null),
        });
        for (const event of events) {
          // The org may have been dropped (its last room left) and followed anew meanwhile.
          if (this.orgs.get(orgId) !== org) return;
          this.deliver(org, event);
        }
      } while (events.length === PAGE);
    } while (org.wanted > org.cursor);
  }

  private deliver(org: OrgState, event: EventRow): void {
    if (event.seq <= org.cursor) return;
    org.cursor = event.seq;
    // Access changes take effect before anything after them is delivered.
    const effect = hubEffect(event);
    if (effect) this.deps.onEffect(org, event, effect);
    for (const channel of channelsOf(event.visibility)) {
      const room = this.deps.rooms.get(event.orgId, channel);
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
    this.deps.server()?.publish(room.key, message);
  }
}
