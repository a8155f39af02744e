import { isAdmin, type TChannel, type TWsErrorCode } from "@tandem/contracts";
import {
  type Database,
  getMemberOrg,
  getOrg,
  lastEventSeq,
  listPublicProjects,
  type OrgRow,
  systemIsApiKeyActive,
} from "@tandem/database";
import type { SocketKey } from "./client.ts";
import type { PublicSettings } from "./public-view.ts";
import type { Client } from "./rooms.ts";

/** The org's public settings; its public projects' fields only for the public channel (one more read). */
async function publicSettings(db: Database, org: OrgRow, channel: TChannel): Promise<PublicSettings> {
  const settings = { publicBoard: org.publicBoard, publicFields: org.publicFields };
  if (channel !== "public") return { ...settings, projects: null };
  const projects = await listPublicProjects(db, { orgId: org.id });
  return { ...settings, projects: new Map(projects.map((p) => [p.id, p.publicFields])) };
}

export type Decision =
  | { ok: true; seq: number; settings: PublicSettings }
  | { ok: false; code: TWsErrorCode; message: string };

/**
 * May this client join `${orgId}:${channel}`? Public: the org publishes a board. Tasks: a
 * member whose session has not expired (a signed-out or revoked session already closed the
 * socket). Admin: an admin permission. Returns the seq the decision holds at, to follow the
 * org from there. One prepared read for a member channel.
 */
export async function authorize(
  { db }: { db: Database },
  client: Client,
  orgId: string,
  channel: TChannel,
): Promise<Decision> {
  if (channel === "public") {
    // Seq first: the settings read after it are at least that recent.
    const seq = await lastEventSeq(db, { orgId });
    const org = await getOrg(db, { orgId });
    if (!org?.publicBoard) return { ok: false, code: "NOT_FOUND", message: "No public board for this org" };
    return { ok: true, seq, settings: await publicSettings(db, org, channel) };
  }
  if (client.apiKey) return authorizeKey(db, client.apiKey, orgId, channel);
  if (!client.user) return { ok: false, code: "UNAUTHORIZED", message: "Sign in to subscribe to this channel" };
  if (client.sessionExpiresAt <= Date.now()) return { ok: false, code: "UNAUTHORIZED", message: "Session expired" };
  const found = await getMemberOrg(db, { orgId, userId: client.user.id });
  if (!found) return { ok: false, code: "NOT_FOUND", message: "Organization not found" };
  if (channel === "admin" && !isAdmin(found.access.permissions)) {
    return { ok: false, code: "FORBIDDEN", message: "The admin channel needs an admin permission" };
  }
  return { ok: true, seq: found.lastEventSeq, settings: await publicSettings(db, found.org, channel) };
}

/**
 * An API key's socket: its own org only (any other looks missing), the key still neither
 * revoked nor expired and its creator still a member, and the admin channel only for a key
 * holding an admin permission.
 */
async function authorizeKey(db: Database, key: SocketKey, orgId: string, channel: TChannel): Promise<Decision> {
  if (key.orgId !== orgId) return { ok: false, code: "NOT_FOUND", message: "Organization not found" };
  if (!(await systemIsApiKeyActive(db, { keyId: key.id }))) {
    return { ok: false, code: "UNAUTHORIZED", message: "API key revoked or expired" };
  }
  if (channel === "admin" && !isAdmin(key.permissions)) {
    return { ok: false, code: "FORBIDDEN", message: "The admin channel needs an admin permission" };
  }
  // Seq first: the settings read after it are at least that recent.
  const seq = await lastEventSeq(db, { orgId });
  const org = await getOrg(db, { orgId });
  if (!org) return { ok: false, code: "NOT_FOUND", message: "Organization not found" };
  return { ok: true, seq, settings: await publicSettings(db, org, channel) };
}
