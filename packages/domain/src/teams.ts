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
import { assertAdministratorRemains, recordEvent } from "./admin-events.ts";
import { defineMutation, defineQuery, type TxCtx } from "./context.ts";
import { conflict, isUniqueViolation, notFound } from "./errors.ts";
import { toTeamDto } from "./mappers.ts";

async function loadTeam(ctx: TxCtx, teamId: string): Promise<TTeam> {
  const row = await getTeam(ctx.tx, { orgId: ctx.org.id, teamId });
  if (!row) throw notFound("Team");
  return toTeamDto(row);
}

function nameTaken(error: unknown): never {
  if (isUniqueViolation(error)) throw conflict("A team with that name already exists");
  throw error;
}

export const listTeams = defineQuery<void, TTeam[]>("team.list", null, async ({ ctx }) =>
  (await listTeamRows(ctx.db, { orgId: ctx.org.id })).map(toTeamDto),
);

export const createTeam = defineMutation<TCreateTeamInput, TTeam>(
  "team.create",
  "admin.manageTeams",
  async ({ ctx, input }) => {
    const id = newId("team");
    await insertTeam(ctx.tx, {
      id,
      orgId: ctx.org.id,
      name: input.name,
      permissions: [...new Set(input.permissions)],
    }).catch(nameTaken);
    const team = await loadTeam(ctx, id);
    await recordEvent(ctx, "CREATE_TEAM", "admin", { team });
    return team;
  },
);

export const updateTeam = defineMutation<{ teamId: string; patch: TUpdateTeamInput }, TTeam>(
  "team.update",
  "admin.manageTeams",
  async ({ ctx, input }) => {
    const values = {
      ...(input.patch.name !== undefined ? { name: input.patch.name } : {}),
      ...(input.patch.permissions ? { permissions: [...new Set(input.patch.permissions)] } : {}),
    };
    const found = await updateTeamRow(ctx.tx, { orgId: ctx.org.id, teamId: input.teamId, values }).catch(nameTaken);
    if (!found) throw notFound("Team");
    await assertAdministratorRemains(ctx);
    const team = await loadTeam(ctx, input.teamId);
    await recordEvent(ctx, "UPDATE_TEAM", "admin", { team });
    return team;
  },
);

export const deleteTeam = defineMutation<{ teamId: string }, { id: string }>(
  "team.delete",
  "admin.manageTeams",
  async ({ ctx, input }) => {
    const team = await loadTeam(ctx, input.teamId);
    await deleteTeamRow(ctx.tx, { orgId: ctx.org.id, teamId: team.id });
    await assertAdministratorRemains(ctx);
    await recordEvent(ctx, "DELETE_TEAM", "admin", { team });
    return { id: team.id };
  },
);

export const setTeamMembership = defineMutation<{ teamId: string; userId: string; member: boolean }, TTeam>(
  "team.membership",
  "admin.manageTeams",
  async ({ ctx, input }) => {
    await loadTeam(ctx, input.teamId);
    const member = await getMember(ctx.tx, { orgId: ctx.org.id, userId: input.userId });
    if (!member) throw notFound("Member");
    const changed = input.member
      ? await addMemberToTeam(ctx.tx, { teamId: input.teamId, memberId: member.id })
      : await removeMemberFromTeam(ctx.tx, { teamId: input.teamId, memberId: member.id });
    if (!input.member) await assertAdministratorRemains(ctx);
    const team = await loadTeam(ctx, input.teamId);
    if (changed) await recordEvent(ctx, "UPDATE_TEAM", "admin", { team });
    return team;
  },
);
