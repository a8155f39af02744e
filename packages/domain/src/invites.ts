import type { TCreateInviteInput, TInvite, TOrg } from "@tandem/contracts";
import {
  addMemberToTeam,
  ensureMember,
  getMember,
  getOrg,
  getOrgAccess,
  getTeamsByIds,
  type InviteRow,
  insertInvite,
  listInvites as listInviteRows,
  lockInvite,
  lockOrgForAccessChange,
  systemGetInviteByCode,
  systemGetUser,
  type Transaction,
  updateInviteRow,
} from "@tandem/database";
import { traced } from "@tandem/opentelemetry";
import { newId } from "@tandem/util";
import { newToken } from "@tandem/util/server";
import { assertCanGrant, defineAccessMutation } from "./access.ts";
import { type Ctx, defineQuery, type TxCtx, type UserCtx, withTransaction } from "./context.ts";
import { DomainError, forbidden, invalid, notFound } from "./errors.ts";
import { toInviteDto, toOrgDto, withoutCode } from "./mappers.ts";
import { recordEvent } from "./record-event.ts";

const DAY_MS = 86_400_000;

/** The inviter may only hand out teams whose every permission they hold themselves. */
export const createInvite = defineAccessMutation<TCreateInviteInput, TInvite>(
  "invite.create",
  "admin.manageMembers",
  async ({ ctx, input }) => {
    const teamIds = [...new Set([...(input.teamIds ?? []), ...(input.teamId ? [input.teamId] : [])])];
    const teams = await getTeamsByIds(ctx.tx, { orgId: ctx.org.id, teamIds });
    if (teams.length !== teamIds.length) throw invalid(input.teamIds ? "teamIds" : "teamId", "Unknown team");
    assertCanGrant(
      ctx,
      teams.flatMap((team) => team.permissions),
    );
    const row = await insertInvite(ctx.tx, {
      id: newId("inv"),
      orgId: ctx.org.id,
      code: newToken(18),
      email: input.email?.toLowerCase() ?? null,
      teamIds,
      createdBy: ctx.actor.userId,
      expiresAt: new Date(Date.now() + input.expiresInDays * DAY_MS),
    });
    const invite = toInviteDto(row);
    await recordEvent(ctx, { type: "CREATE_INVITE", payload: { invite: withoutCode(invite) } });
    if (invite.email) {
      const mail = inviteMail(ctx.org.name, invite, `${ctx.services.mail.webOrigin}/invite/${invite.code}`);
      ctx.afterCommit(() => void ctx.services.mail.send(mail));
    }
    return invite;
  },
);

/** The mail an invite bound to an address sends to it: the link, and until when it works. */
function inviteMail(orgName: string, invite: TInvite, link: string) {
  return {
    to: invite.email ?? "",
    subject: `You are invited to ${orgName} on Tandem`,
    text: [
      `You are invited to join ${orgName} on Tandem, a shared task board.`,
      "",
      "Open this link to join (sign up first if you have no account; use this address):",
      link,
      "",
      `The invite works until ${invite.expiresAt.slice(0, 10)}. If you did not expect it, ignore this message.`,
    ].join("\n"),
    link,
  };
}

export const listInvites = defineQuery<void, TInvite[]>("invite.list", "admin.manageMembers", async ({ ctx }) =>
  (await listInviteRows(ctx.db, { orgId: ctx.org.id })).map(toInviteDto),
);

export const revokeInvite = defineAccessMutation<{ inviteId: string }, TInvite>(
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
    await recordEvent(ctx, { type: "UPDATE_INVITE", payload: { invite: withoutCode(invite) } });
    return invite;
  },
);

/**
 * The teams an invite still grants. Checked again on accept against what its creator holds
 * now: a creator who lost a permission (or the org) since cannot grant it through an old code.
 */
async function grantableTeams(tx: Transaction, invite: InviteRow, ctx: Omit<Ctx, "actor">) {
  const teams = await getTeamsByIds(tx, { orgId: invite.orgId, teamIds: invite.teamIds });
  if (teams.length === 0) return [];
  const creator = invite.createdBy ? await getOrgAccess(tx, { orgId: invite.orgId, userId: invite.createdBy }) : null;
  if (!creator || !invite.createdBy) throw forbidden("This invite is no longer valid: ask for a new one");
  assertCanGrant(
    { ...ctx, actor: { type: "user", userId: invite.createdBy, permissions: creator.permissions } },
    teams.flatMap((team) => team.permissions),
  );
  return teams;
}

/**
 * Joins the invite's org and teams. An invite addressed to an e-mail only works for that
 * account, once its address is verified; unknown, revoked and expired codes all read as not
 * found, and a used code never grants again (repeating it as the same member is a no-op).
 */
export function acceptInvite({ ctx: user, input }: { ctx: UserCtx; input: { code: string } }): Promise<TOrg> {
  const { db, notify, services, userId } = user;
  const { code } = input;
  return traced("invite.accept", async () => {
    // Which org the write is in; everything is checked again under its lock.
    const found = await systemGetInviteByCode(db, { code });
    if (!found) throw notFound("Invite");
    return withTransaction({ db, notify, org: { id: found.orgId } }, async ({ tx, afterCommit }) => {
      // Read here, not from the session: a cached session may predate the verification.
      const user = await systemGetUser(tx, { userId });
      if (!user) throw notFound("User");
      // Same lock order as every access change: the org first, then the invite.
      await lockOrgForAccessChange(tx, { orgId: found.orgId });
      const invite = await lockInvite(tx, { orgId: found.orgId, inviteId: found.id });
      if (!invite || invite.status === "revoked" || invite.expiresAt.getTime() < Date.now()) throw notFound("Invite");
      if (invite.email && invite.email !== user.email.toLowerCase()) {
        throw forbidden("This invite was sent to another e-mail address");
      }
      if (invite.email && !user.emailVerified) {
        throw forbidden(`Verify your e-mail address (${invite.email}) to accept this invite`);
      }
      const org = await getOrg(tx, { orgId: invite.orgId });
      if (!org) throw notFound("Invite");
      if (invite.status === "accepted") {
        const stillMember = await getMember(tx, { orgId: org.id, userId: user.id });
        if (invite.acceptedBy === user.id && stillMember) return toOrgDto(org);
        throw new DomainError("CONFLICT", "This invite has already been used");
      }
      const teams = await grantableTeams(tx, invite, { db, org, notify, services });
      const { row: member, created } = await ensureMember(tx, { id: newId("mem"), orgId: org.id, userId: user.id });
      for (const team of teams) await addMemberToTeam(tx, { orgId: org.id, teamId: team.id, memberId: member.id });
      await updateInviteRow(tx, {
        orgId: org.id,
        inviteId: invite.id,
        values: { status: "accepted", acceptedBy: user.id, acceptedAt: new Date() },
      });
      const actor = { type: "user" as const, userId: user.id, permissions: new Set<string>() };
      const ctx: TxCtx = { db, tx, afterCommit, notify, services, org, actor };
      if (created)
        await recordEvent(ctx, { type: "CREATE_MEMBER", payload: { userId: user.id, teamIds: invite.teamIds } });
      return toOrgDto(org);
    });
  });
}
