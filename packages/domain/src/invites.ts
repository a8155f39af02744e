import type { TCreateInviteInput, TInvite, TOrg } from "@tandem/contracts";
import {
  addMemberToTeam,
  type Database,
  ensureMember,
  getOrg,
  getTeam,
  insertInvite,
  listInvites as listInviteRows,
  lockInviteByCode,
  updateInviteRow,
} from "@tandem/database";
import { traced } from "@tandem/opentelemetry";
import { newId } from "@tandem/util";
import { newToken } from "@tandem/util/server";
import { recordEvent } from "./admin-events.ts";
import { defineMutation, defineQuery, notifyCommitted } from "./context.ts";
import { DomainError, forbidden, invalid, notFound } from "./errors.ts";
import { toInviteDto, toOrgDto } from "./mappers.ts";

const DAY_MS = 86_400_000;

export const createInvite = defineMutation<TCreateInviteInput, TInvite>(
  "invite.create",
  "admin.manageMembers",
  async ({ ctx, input }) => {
    if (input.teamId && !(await getTeam(ctx.tx, { orgId: ctx.org.id, teamId: input.teamId }))) {
      throw invalid("teamId", "Unknown team");
    }
    const row = await insertInvite(ctx.tx, {
      id: newId("inv"),
      orgId: ctx.org.id,
      code: newToken(18),
      email: input.email?.toLowerCase() ?? null,
      teamId: input.teamId ?? null,
      createdBy: ctx.actor.userId,
      expiresAt: new Date(Date.now() + input.expiresInDays * DAY_MS),
    });
    const invite = toInviteDto(row);
    await recordEvent(ctx, "CREATE_INVITE", "admin", { invite: { ...invite, code: undefined } });
    return invite;
  },
);

export const listInvites = defineQuery<void, TInvite[]>("invite.list", "admin.manageMembers", async ({ ctx }) =>
  (await listInviteRows(ctx.db, { orgId: ctx.org.id })).map(toInviteDto),
);

export const revokeInvite = defineMutation<{ inviteId: string }, TInvite>(
  "invite.revoke",
  "admin.manageMembers",
  async ({ ctx, input }) => {
    const row = await updateInviteRow(ctx.tx, {
      orgId: ctx.org.id,
      inviteId: input.inviteId,
      values: { status: "revoked" },
    });
    if (!row) throw notFound("Invite");
    const invite = toInviteDto(row);
    await recordEvent(ctx, "UPDATE_INVITE", "admin", { invite: { ...invite, code: undefined } });
    return invite;
  },
);

/**
 * Accepting is idempotent for a member already in the org. An invite addressed to an e-mail
 * only works for that account; unknown, revoked and expired codes all read as not found.
 */
export function acceptInvite({
  db,
  user,
  code,
}: {
  db: Database;
  user: { id: string; email: string };
  code: string;
}): Promise<TOrg> {
  return traced("invite.accept", async () => {
    const org = await db.transaction(async (tx) => {
      const invite = await lockInviteByCode(tx, { code });
      if (!invite || invite.status === "revoked" || invite.expiresAt.getTime() < Date.now()) throw notFound("Invite");
      if (invite.email && invite.email !== user.email.toLowerCase()) {
        throw forbidden("This invite was sent to another e-mail address");
      }
      const org = await getOrg(tx, { orgId: invite.orgId });
      if (!org) throw notFound("Invite");
      if (invite.status === "accepted" && invite.acceptedBy !== user.id) {
        throw new DomainError("CONFLICT", "This invite has already been used");
      }
      const { row: member, created } = await ensureMember(tx, { id: newId("mem"), orgId: org.id, userId: user.id });
      if (invite.teamId) await addMemberToTeam(tx, { teamId: invite.teamId, memberId: member.id });
      if (invite.status === "pending") {
        await updateInviteRow(tx, {
          orgId: org.id,
          inviteId: invite.id,
          values: { status: "accepted", acceptedBy: user.id, acceptedAt: new Date() },
        });
      }
      if (created) {
        const ctx = { db, tx, org, actor: { type: "user" as const, userId: user.id, permissions: new Set<string>() } };
        await recordEvent(ctx, "CREATE_MEMBER", "members", { userId: user.id, teamId: invite.teamId });
      }
      return toOrgDto(org);
    });
    notifyCommitted(org.id);
    return org;
  });
}
