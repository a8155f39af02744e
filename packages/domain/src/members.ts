import type { TMember } from "@tandem/contracts";
import { deleteMember, listMembers as listMemberRows, removeAssigneeFromTasks } from "@tandem/database";
import { assertAdministratorRemains, recordEvent } from "./admin-events.ts";
import { defineMutation, defineQuery } from "./context.ts";
import { notFound } from "./errors.ts";
import { toMemberDto } from "./mappers.ts";

export const listMembers = defineQuery<void, TMember[]>("member.list", null, async ({ ctx }) =>
  (await listMemberRows(ctx.db, { orgId: ctx.org.id })).map(toMemberDto),
);

/** Removal is immediate: permissions are read per request, and the hub drops the sockets. */
export const removeMember = defineMutation<{ userId: string }, { userId: string }>(
  "member.remove",
  "admin.manageMembers",
  async ({ ctx, input }) => {
    const removed = await deleteMember(ctx.tx, { orgId: ctx.org.id, userId: input.userId });
    if (!removed) throw notFound("Member");
    await removeAssigneeFromTasks(ctx.tx, { orgId: ctx.org.id, userId: input.userId });
    await assertAdministratorRemains(ctx);
    await recordEvent(ctx, "DELETE_MEMBER", "members", { userId: input.userId });
    return { userId: input.userId };
  },
);
