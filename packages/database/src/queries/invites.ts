import { and, eq } from "drizzle-orm";
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

/** Invite codes are global secrets; the lookup locks the row so one code is accepted once. */
export async function lockInviteByCode(tx: Transaction, { code }: { code: string }) {
  const [row] = await tx.select().from(invite).where(eq(invite.code, code)).for("update");
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
