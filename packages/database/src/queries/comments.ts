import { and, asc, eq, isNull } from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import { taskComment } from "../schema/index.ts";

export type CommentRow = typeof taskComment.$inferSelect;

export async function listComments(db: Executor, { orgId, taskId }: { orgId: string; taskId: string }) {
  return db
    .select()
    .from(taskComment)
    .where(and(eq(taskComment.orgId, orgId), eq(taskComment.taskId, taskId), isNull(taskComment.deletedAt)))
    .orderBy(asc(taskComment.createdAt), asc(taskComment.id));
}

export async function lockComment(
  tx: Transaction,
  { orgId, taskId, commentId }: { orgId: string; taskId: string; commentId: string },
) {
  const [row] = await tx
    .select()
    .from(taskComment)
    .where(
      and(
        eq(taskComment.orgId, orgId),
        eq(taskComment.taskId, taskId),
        eq(taskComment.id, commentId),
        isNull(taskComment.deletedAt),
      ),
    )
    .for("update");
  return row;
}

export async function insertComment(tx: Transaction, values: typeof taskComment.$inferInsert): Promise<CommentRow> {
  const [row] = await tx.insert(taskComment).values(values).returning();
  if (!row) throw new Error("insert comment returned nothing");
  return row;
}

export async function updateCommentRow(
  tx: Transaction,
  { orgId, commentId, values }: { orgId: string; commentId: string; values: Partial<typeof taskComment.$inferInsert> },
): Promise<CommentRow> {
  const [row] = await tx
    .update(taskComment)
    .set({ updatedAt: new Date(), ...values })
    .where(and(eq(taskComment.orgId, orgId), eq(taskComment.id, commentId)))
    .returning();
  if (!row) throw new Error("update comment returned nothing");
  return row;
}
