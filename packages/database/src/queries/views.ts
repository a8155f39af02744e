import { and, asc, eq, isNull, or } from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import { savedView } from "../schema/index.ts";

export type ViewRow = typeof savedView.$inferSelect;
export type ViewInsert = typeof savedView.$inferInsert;

/** What `userId` may see: their own views and the org's shared ones (never another member's). */
function visibleTo(orgId: string, userId: string | null) {
  return and(
    eq(savedView.orgId, orgId),
    userId ? or(isNull(savedView.ownerId), eq(savedView.ownerId, userId)) : isNull(savedView.ownerId),
  );
}

export async function listViews(db: Executor, { orgId, userId }: { orgId: string; userId: string | null }) {
  return db.select().from(savedView).where(visibleTo(orgId, userId)).orderBy(asc(savedView.name), asc(savedView.id));
}

/** One view, locked for a read-modify-write, when `userId` may see it. */
export async function lockVisibleView(
  tx: Transaction,
  { orgId, userId, id }: { orgId: string; userId: string | null; id: string },
): Promise<ViewRow | undefined> {
  const [row] = await tx
    .select()
    .from(savedView)
    .where(and(visibleTo(orgId, userId), eq(savedView.id, id)))
    .for("update");
  return row;
}

export async function insertView(tx: Transaction, values: ViewInsert): Promise<ViewRow> {
  const [row] = await tx.insert(savedView).values(values).returning();
  if (!row) throw new Error("insert saved_view returned nothing");
  return row;
}

export async function updateViewRow(
  tx: Transaction,
  { orgId, id, values }: { orgId: string; id: string; values: Partial<ViewInsert> },
): Promise<ViewRow | undefined> {
  const [row] = await tx
    .update(savedView)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(savedView.orgId, orgId), eq(savedView.id, id)))
    .returning();
  return row;
}

export async function deleteViewRow(tx: Transaction, { orgId, id }: { orgId: string; id: string }) {
  const [row] = await tx
    .delete(savedView)
    .where(and(eq(savedView.orgId, orgId), eq(savedView.id, id)))
    .returning();
  return row;
}
