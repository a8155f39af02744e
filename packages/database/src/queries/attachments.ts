import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import { attachment, orgStorage } from "../schema/index.ts";

export type AttachmentRow = typeof attachment.$inferSelect;

export async function insertAttachment(
  tx: Transaction,
  values: typeof attachment.$inferInsert,
): Promise<AttachmentRow> {
  const [row] = await tx.insert(attachment).values(values).returning();
  if (!row) throw new Error("insert attachment returned nothing");
  return row;
}

export async function listAttachments(db: Executor, { orgId, taskId }: { orgId: string; taskId: string }) {
  return db
    .select()
    .from(attachment)
    .where(and(eq(attachment.orgId, orgId), eq(attachment.taskId, taskId), isNull(attachment.deletedAt)))
    .orderBy(asc(attachment.createdAt));
}

export async function getAttachment(
  db: Executor,
  { orgId, taskId, id }: { orgId: string; taskId: string; id: string },
) {
  const [row] = await db
    .select()
    .from(attachment)
    .where(
      and(
        eq(attachment.orgId, orgId),
        eq(attachment.taskId, taskId),
        eq(attachment.id, id),
        isNull(attachment.deletedAt),
      ),
    );
  return row;
}

export async function softDeleteAttachment(tx: Transaction, { orgId, id }: { orgId: string; id: string }) {
  const [row] = await tx
    .update(attachment)
    .set({ deletedAt: new Date() })
    .where(and(eq(attachment.orgId, orgId), eq(attachment.id, id), isNull(attachment.deletedAt)))
    .returning();
  return row;
}

/**
 * Reserves `bytes` of the org's quota in one conditional statement (its own implicit
 * transaction): true when it fits. Concurrent uploads serialise on the org's storage row
 * only for this statement, never while a file is stored.
 */
export async function reserveOrgStorage(
  db: Executor,
  { orgId, bytes, quota }: { orgId: string; bytes: number; quota: number },
): Promise<boolean> {
  if (bytes > quota) return false;
  const rows = await db.execute<{ used_bytes: number }>(sql`
    insert into org_storage (org_id, used_bytes) values (${orgId}, ${bytes})
    on conflict (org_id) do update set used_bytes = org_storage.used_bytes + excluded.used_bytes
      where org_storage.used_bytes + excluded.used_bytes <= ${quota}
    returning used_bytes`);
  return rows.length > 0;
}

/** Gives reserved or freed bytes back to the org's quota. */
export async function releaseOrgStorage(db: Executor, { orgId, bytes }: { orgId: string; bytes: number }) {
  await db
    .update(orgStorage)
    .set({ usedBytes: sql`greatest(${orgStorage.usedBytes} - ${bytes}, 0)` })
    .where(eq(orgStorage.orgId, orgId));
}
