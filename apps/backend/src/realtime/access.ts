import { type TChannel, WS_CLOSE } from "@tandem/contracts";
import type { Database, EventRow } from "@tandem/database";
import { traced } from "@tandem/opentelemetry";
import { authorize, type Decision } from "./authorize.ts";
import type { HubEffect } from "./effects.ts";
import type { OrgFeed } from "./org-feed.ts";
import type { Replayer } from "./replay.ts";
import type { Client, OrgState, Room, Rooms } from "./rooms.ts";

export type AccessDeps = {
  db: Database;
  rooms: Rooms;
  feed: OrgFeed;
  replayer: Replayer;
  /** Whether the client's socket is still open. */
  isOpen: (client: Client) => boolean;
  /** Runs socket work, closing the socket with 1013 if it fails. */
  guard: (client: Client, work: Promise<void>) => void;
  /** Closes every socket opened with this API key, on this instance. */
  closeKey: (keyId: string) => void;
};

/**
 * Who may be in which room, kept true as access changes: authorising a subscription,
 * applying removals, team and settings changes from the log, and re-admitting admin
 * listeners who still qualify after a team change.
 */
export class Access {
  constructor(private readonly deps: AccessDeps) {}

  /** Authorises a subscription (session expiry checked, membership read from the database). */
  authorise(client: Client, orgId: string, channel: TChannel): Promise<Decision> {
    return traced("ws.subscribe", () => authorize(this.deps, client, orgId, channel), {
      "tandem.org_id": orgId,
      "tandem.channel": channel,
    });
  }

  /**
   * Follows the org from the decision's seq. Null when a removal or permission change
   * committed while we were authorising: the caller decides again.
   */
  admit(client: Client, orgId: string, channel: TChannel, decision: Extract<Decision, { ok: true }>): OrgState | null {
    const org = this.deps.feed.track(orgId, decision.seq, decision.settings);
    // A user removed, or an API key revoked, after the decision was read.
    const id = client.user?.id ?? client.apiKey?.id;
    const revokedAt = id ? (org.removed.get(id) ?? 0) : 0;
    if (revokedAt > decision.seq || (channel === "admin" && org.authzChangedAt > decision.seq)) return null;
    if (channel === "public" && org.settings.projects === null) {
      // Followed so far for member channels only: the public projects as the decision read them,
      // unless one changed since (then decide again).
      if (org.projectsChangedAt > decision.seq) return null;
      org.settings = { ...org.settings, projects: decision.settings.projects };
    }
    return org;
  }

  /** An access change from the log, applied before anything after it is delivered. */
  apply(org: OrgState, event: EventRow, effect: NonNullable<HubEffect>): void {
    switch (effect.kind) {
      case "org-settings":
        this.applyOrgSettings(org, event.orgId, effect);
        return;
      case "project-settings": {
        org.projectsChangedAt = event.seq;
        if (org.settings.projects === null) return;
        const projects = new Map(org.settings.projects);
        if (effect.publicFields) projects.set(effect.projectId, effect.publicFields);
        else projects.delete(effect.projectId);
        org.settings = { ...org.settings, projects };
        return;
      }
      case "member-removed":
        this.removeMember(org, event, effect.userId);
        return;
      case "teams-changed":
        this.recheckAdmins(org, event);
        return;
      case "api-key-revoked":
        org.removed.set(effect.keyId, event.seq);
        this.deps.closeKey(effect.keyId);
        return;
    }
  }

  private removeMember(org: OrgState, event: EventRow, removedUser: string): void {
    const { rooms } = this.deps;
    org.removed.set(removedUser, event.seq);
    const revoked = new Set<Client>();
    for (const channel of ["tasks", "admin"] as const) {
      const room = rooms.get(event.orgId, channel);
      for (const client of rooms.occupants(room)) {
        // The member's own sockets, and those of the API keys they created.
        if (!room || (client.user?.id ?? client.apiKey?.createdBy) !== removedUser) continue;
        rooms.leave(client, room, true, "membership_revoked");
        revoked.add(client);
      }
    }
    // SPEC §7: a removed member's sockets are closed, after they were told why.
    for (const client of revoked) {
      client.stopHeartbeat();
      client.ws.close(WS_CLOSE.membershipRevoked, "membership revoked");
    }
  }

  /** Teams or their permissions changed: drop admin listeners now, re-admit who still qualifies. */
  private recheckAdmins(org: OrgState, event: EventRow): void {
    const { rooms } = this.deps;
    org.authzChangedAt = event.seq;
    const room = rooms.get(event.orgId, "admin");
    for (const client of rooms.occupants(room)) {
      if (!room) break;
      rooms.leave(client, room, false);
      this.deps.guard(client, this.readmit(client, room.orgId, event.seq - 1));
    }
  }

  private async readmit(client: Client, orgId: string, afterSeq: number): Promise<void> {
    const decision = await authorize(this.deps, client, orgId, "admin");
    if (!this.deps.isOpen(client)) return;
    if (!decision.ok) {
      client.send({
        type: "UNSUBSCRIBED",
        scope: "INDIVIDUAL",
        data: { orgId, channel: "admin", reason: "permission_revoked" },
        meta: { orgId, channel: "admin" },
      });
      return;
    }
    const org = this.deps.feed.track(orgId, decision.seq, decision.settings);
    await this.replay(client, this.deps.rooms.open(orgId, "admin"), org, afterSeq);
  }

  /** Replays what the client missed after `afterSeq`, then joins it to the live room. */
  replay(client: Client, room: Room, org: OrgState, afterSeq: number): Promise<void> {
    return this.deps.replayer.replay(client, room, org, afterSeq, () => this.deps.rooms.join(client, room));
  }

  private applyOrgSettings(
    org: OrgState,
    orgId: string,
    settings: Pick<OrgState["settings"], "publicBoard" | "publicFields">,
  ): void {
    org.settings = { ...org.settings, publicBoard: settings.publicBoard, publicFields: settings.publicFields };
    if (org.settings.publicBoard) return;
    const { rooms } = this.deps;
    const room = rooms.get(orgId, "public");
    for (const client of rooms.occupants(room)) {
      if (room) rooms.leave(client, room, true, "public_board_disabled");
    }
  }
}
