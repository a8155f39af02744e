import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import { attachment } from "../schema/index.ts";

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

/** Bytes the org's live attachments take, for its quota. */
export async function orgStorageUsed(db: Executor, { orgId }: { orgId: string }): Promise<number> {
  const [row] = await db
    .select({ used: sql<string>`coalesce(sum(${attachment.size}), 0)` })
    .from(attachment)
    .where(and(eq(attachment.orgId, orgId), isNull(attachment.deletedAt)));
  return Number(row?.used ?? 0);
}
