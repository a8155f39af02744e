import type { TCreateTeamInput, TTeam, TUpdateTeamInput } from "@tandem/contracts";
import {
  addMemberToTeam,
  deleteTeamRow,
  getMember,
  getTeam,
  insertTeam,
  listTeams as listTeamRows,
  removeMemberFromTeam,
  updateTeamRow,
} from "@tandem/database";
import { newId } from "@tandem/util";
import {
  assertAdministratorRemains,
  assertCanChangeAdministrators,
  assertCanGrant,
  defineAccessMutation,
} from "./access.ts";
import { defineQuery, type TxCtx } from "./context.ts";
import { conflict, isUniqueViolation, notFound } from "./errors.ts";
import { toTeamDto } from "./mappers.ts";
import { recordEvent } from "./record-event.ts";

async function loadTeam(ctx: TxCtx, teamId: string): Promise<TTeam> {
  const row = await getTeam(ctx.tx, { orgId: ctx.org.id, teamId });
  if (!row) throw notFound("Team");
  return toTeamDto(row);
}

function nameTaken(error: unknown): never {
  if (isUniqueViolation(error)) throw conflict("A team with that name already exists");
  throw error;
}

/**
 * Tells the affected members (on the tasks channel, which every member has) that what they may
 * do changed, so their open tabs refetch their permissions at once. Team events themselves
 * only reach admins.
 */
async function announceAccessChange(ctx: TxCtx, userIds: readonly string[]): Promise<void> {
  if (userIds.length > 0) await recordEvent(ctx, { type: "UPDATE_MEMBER", payload: { userIds: [...userIds] } });
}

export const listTeams = defineQuery<void, TTeam[]>("team.list", null, async ({ ctx }) =>
  (await listTeamRows(ctx.db, { orgId: ctx.org.id })).map(toTeamDto),
);

export const createTeam = defineAccessMutation<TCreateTeamInput, TTeam>(
  "team.create",
  "admin.manageTeams",
  async ({ ctx, input }) => {
    const permissions = [...new Set(input.permissions)];
    assertCanGrant(ctx, permissions);
    const id = newId("team");
    await insertTeam(ctx.tx, { id, orgId: ctx.org.id, name: input.name, permissions }).catch(nameTaken);
    const team = await loadTeam(ctx, id);
    await recordEvent(ctx, { type: "CREATE_TEAM", payload: { team } });
    return team;
  },
);

export const updateTeam = defineAccessMutation<{ teamId: string; patch: TUpdateTeamInput }, TTeam>(
  "team.update",
  "admin.manageTeams",
  async ({ ctx, input }) => {
    const before = await loadTeam(ctx, input.teamId);
    const permissions = input.patch.permissions ? [...new Set(input.patch.permissions)] : undefined;
    if (permissions) {
      // Taking a permission away grants nothing; adding one needs it held.
      assertCanGrant(
        ctx,
        permissions.filter((p) => !before.permissions.includes(p)),
      );
    }
    assertCanChangeAdministrators(ctx, [...before.permissions, ...(permissions ?? [])]);
    const values = {
      ...(input.patch.name !== undefined ? { name: input.patch.name } : {}),
      ...(permissions ? { permissions } : {}),
    };
    await updateTeamRow(ctx.tx, { orgId: ctx.org.id, teamId: before.id, values }).catch(nameTaken);
    await assertAdministratorRemains(ctx);
    const team = await loadTeam(ctx, before.id);
    await recordEvent(ctx, { type: "UPDATE_TEAM", payload: { team } });
    if (permissions) await announceAccessChange(ctx, team.memberIds);
    return team;
  },
);

export const deleteTeam = defineAccessMutation<{ teamId: string }, { id: string }>(
  "team.delete",
  "admin.manageTeams",
  async ({ ctx, input }) => {
    const team = await loadTeam(ctx, input.teamId);
    assertCanChangeAdministrators(ctx, team.permissions);
    await deleteTeamRow(ctx.tx, { orgId: ctx.org.id, teamId: team.id });
    await assertAdministratorRemains(ctx);
    await recordEvent(ctx, { type: "DELETE_TEAM", payload: { team } });
    await announceAccessChange(ctx, team.memberIds);
    return { id: team.id };
  },
);

/** Adding someone to a team grants them its permissions: the actor must hold them all. */
export const setTeamMembership = defineAccessMutation<{ teamId: string; userId: string; member: boolean }, TTeam>(
  "team.membership",
  "admin.manageTeams",
  async ({ ctx, input }) => {
    const before = await loadTeam(ctx, input.teamId);
    assertCanChangeAdministrators(ctx, before.permissions);
    if (input.member) assertCanGrant(ctx, before.permissions);
    const member = await getMember(ctx.tx, { orgId: ctx.org.id, userId: input.userId });
    if (!member) throw notFound("Member");
    const changed = input.member
      ? await addMemberToTeam(ctx.tx, { orgId: ctx.org.id, teamId: before.id, memberId: member.id })
      : await removeMemberFromTeam(ctx.tx, { orgId: ctx.org.id, teamId: before.id, memberId: member.id });
    if (!input.member) await assertAdministratorRemains(ctx);
    const team = await loadTeam(ctx, before.id);
    if (changed) {
      await recordEvent(ctx, { type: "UPDATE_TEAM", payload: { team } });
      await announceAccessChange(ctx, [input.userId]);
    }
    return team;
  },
);
