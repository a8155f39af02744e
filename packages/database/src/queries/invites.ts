import { and, eq, ne, or } from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import { invite } from "../schema/index.ts";

export type InviteRow = typeof invite.$inferSelect;

export async function insertInvite(tx: Transaction, values: typeof invite.$inferInsert): Promise<InviteRow> {
  const [row] = await tx.insert(invite).values(values).returning();
  if (!row) throw new Error("insert invite returned nothing");
  return row;
}

export async function listInvites(db: Executor, { orgId }: { orgId: string }) {
  return db.select().from(invite).where(eq(invite.orgId, orgId)).orderBy(invite.createdAt);
}

/** Locks the invite row so one code is accepted once; the org's lock must be taken first. */
export async function lockInvite(tx: Transaction, { orgId, inviteId }: { orgId: string; inviteId: string }) {
  const [row] = await tx
    .select()
    .from(invite)
    .where(and(eq(invite.orgId, orgId), eq(invite.id, inviteId)))
    .for("update");
  return row;
}

export async function updateInviteRow(
  tx: Transaction,
  { orgId, inviteId, values }: { orgId: string; inviteId: string; values: Partial<typeof invite.$inferInsert> },
) {
  const [row] = await tx
    .update(invite)
    .set(values)
    .where(and(eq(invite.orgId, orgId), eq(invite.id, inviteId)))
    .returning();
  return row;
}

/**
 * Closes every invite a departing member created or used, so the code cannot bring them (or
 * whoever they passed it to) back with its teams.
 */
export async function revokeInvitesOfUser(tx: Transaction, { orgId, userId }: { orgId: string; userId: string }) {
  return tx
    .update(invite)
    .set({ status: "revoked" })
    .where(
      and(
        eq(invite.orgId, orgId),
        ne(invite.status, "revoked"),
        or(eq(invite.createdBy, userId), eq(invite.acceptedBy, userId)),
      ),
    )
    .returning();
}
