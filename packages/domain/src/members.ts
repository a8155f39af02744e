import type { TMember } from "@tandem/contracts";
import {
  deleteMember,
  getOrgAccess,
  listMembers as listMemberRows,
  removeAssigneeFromTasks,
  revokeInvitesOfUser,
} from "@tandem/database";
import {
  ADMINISTRATOR,
  assertAdministratorRemains,
  assertCanChangeAdministrators,
  defineAccessMutation,
} from "./access.ts";
import { defineQuery } from "./context.ts";
import { notFound } from "./errors.ts";
import { toInviteDto, toMemberDto, withoutCode } from "./mappers.ts";
import { recordEvent } from "./record-event.ts";

export const listMembers = defineQuery<void, TMember[]>("member.list", null, async ({ ctx }) =>
  (await listMemberRows(ctx.db, { orgId: ctx.org.id })).map(toMemberDto),
);

/**
 * Removal is immediate: permissions are read per request, and the hub drops the sockets.
 * The invites the member created or used are revoked, so no old code brings anyone back.
 */
export const removeMember = defineAccessMutation<{ userId: string }, { userId: string }>(
  "member.remove",
  "admin.manageMembers",
  async ({ ctx, input }) => {
    const target = await getOrgAccess(ctx.tx, { orgId: ctx.org.id, userId: input.userId });
    if (!target) throw notFound("Member");
    if (target.permissions.has(ADMINISTRATOR)) assertCanChangeAdministrators(ctx, [ADMINISTRATOR]);
    await deleteMember(ctx.tx, { orgId: ctx.org.id, userId: input.userId });
    await removeAssigneeFromTasks(ctx.tx, { orgId: ctx.org.id, userId: input.userId });
    for (const row of await revokeInvitesOfUser(ctx.tx, { orgId: ctx.org.id, userId: input.userId })) {
      await recordEvent(ctx, { type: "UPDATE_INVITE", payload: { invite: withoutCode(toInviteDto(row)) } });
    }
    await assertAdministratorRemains(ctx);
    await recordEvent(ctx, { type: "DELETE_MEMBER", payload: { userId: input.userId } });
    return { userId: input.userId };
  },
);
