import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import { category, label } from "../schema/index.ts";

/** Labels and categories have one shape; `kind` picks the table. */
export type TagKind = "label" | "category";
const tables = { label, category } as const;
export type TagRow = typeof label.$inferSelect;

export async function listTags(db: Executor, { kind, orgId }: { kind: TagKind; orgId: string }) {
  const table = tables[kind];
  return db.select().from(table).where(eq(table.orgId, orgId)).orderBy(asc(table.name));
}

export async function getTag(db: Executor, { kind, orgId, id }: { kind: TagKind; orgId: string; id: string }) {
  const table = tables[kind];
  const [row] = await db
    .select()
    .from(table)
    .where(and(eq(table.orgId, orgId), eq(table.id, id)));
  return row;
}

/** Ids out of `ids` that exist in the org; used to reject foreign or unknown references. */
export async function existingTagIds(
  db: Executor,
  { kind, orgId, ids }: { kind: TagKind; orgId: string; ids: string[] },
): Promise<string[]> {
  if (ids.length === 0) return [];
  const table = tables[kind];
  const rows = await db
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.orgId, orgId), inArray(table.id, ids)));
  return rows.map((row) => row.id);
}

export async function insertTag(
  tx: Transaction,
  { kind, values }: { kind: TagKind; values: typeof label.$inferInsert },
) {
  const [row] = await tx.insert(tables[kind]).values(values).returning();
  if (!row) throw new Error(`insert ${kind} returned nothing`);
  return row;
}

/**
 * The org's label of this name (case-insensitive), inserted when there is none: `ON CONFLICT
 * DO NOTHING` on the name index, then read back. Transactions creating the same label at once
 * (concurrent deliveries) wait for each other on the index and all succeed with one row, where
 * a plain insert failed with a unique violation and its delivery was retried. `created` says
 * whether this call inserted it (and so owes its CREATE_LABEL event).
 */
export async function ensureLabel(
  tx: Transaction,
  values: typeof label.$inferInsert,
): Promise<{ row: TagRow; created: boolean }> {
  return ensureTag(tx, { kind: "label", values });
}

/** `ensureLabel` for either kind: the org's tag of this name, inserted when there is none. */
export async function ensureTag(
  tx: Transaction,
  { kind, values }: { kind: TagKind; values: typeof label.$inferInsert },
): Promise<{ row: TagRow; created: boolean }> {
  const table = tables[kind];
  const [inserted] = await tx.insert(table).values(values).onConflictDoNothing().returning();
  if (inserted) return { row: inserted, created: true };
  const [existing] = await tx
    .select()
    .from(table)
    .where(and(eq(table.orgId, values.orgId), sql`lower(${table.name}) = lower(${values.name})`));
  if (!existing) throw new Error(`${kind} ${values.name} conflicted but cannot be read back`);
  return { row: existing, created: false };
}

export async function updateTagRow(
  tx: Transaction,
  { kind, orgId, id, values }: { kind: TagKind; orgId: string; id: string; values: { name?: string; color?: string } },
) {
  const table = tables[kind];
  const [row] = await tx
    .update(table)
    .set(values)
    .where(and(eq(table.orgId, orgId), eq(table.id, id)))
    .returning();
  return row;
}

export async function deleteTagRow(tx: Transaction, { kind, orgId, id }: { kind: TagKind; orgId: string; id: string }) {
  const table = tables[kind];
  const [row] = await tx
    .delete(table)
    .where(and(eq(table.orgId, orgId), eq(table.id, id)))
    .returning();
  return row;
}
