import { eq, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import { organization, orgCounter } from "../schema/index.ts";

export type OrgRow = typeof organization.$inferSelect;

export async function getOrg(db: Executor, { orgId }: { orgId: string }): Promise<OrgRow | undefined> {
  const [row] = await db.select().from(organization).where(eq(organization.id, orgId));
  return row;
}

export async function insertOrg(tx: Transaction, values: typeof organization.$inferInsert): Promise<OrgRow> {
  const [row] = await tx.insert(organization).values(values).returning();
  if (!row) throw new Error("insert organization returned nothing");
  await tx.insert(orgCounter).values({ orgId: row.id });
  return row;
}

export async function updateOrg(
  tx: Transaction,
  { orgId, values }: { orgId: string; values: Partial<typeof organization.$inferInsert> },
): Promise<OrgRow | undefined> {
  const [row] = await tx
    .update(organization)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(organization.id, orgId))
    .returning();
  return row;
}

/**
 * Deletes the org (everything in it cascades, its event log too) and tells every hub
 * instance on commit, on the channel the event trigger uses: `orgId:deleted`.
 */
export async function deleteOrg(tx: Transaction, { orgId }: { orgId: string }): Promise<void> {
  await tx.delete(organization).where(eq(organization.id, orgId));
  await tx.execute(sql`select pg_notify('tandem_events', ${`${orgId}:deleted`})`);
}
