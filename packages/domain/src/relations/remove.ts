import type { TTaskRelation } from "@tandem/contracts";
import { deleteRelationRow, deleteTaskRelationRows, getRelationWithTasks, listTaskRelations } from "@tandem/database";
import { defineMutation, type TxCtx } from "../context.ts";
import { notFound } from "../errors.ts";
import { recordEvent } from "../record-event.ts";
import { loadTask } from "../tasks/shared.ts";
import { relationEvent, toRelationDto } from "./dto.ts";

/** Unlinks two tasks; the relation must be one of `:taskId`'s (either side). */
export const deleteRelation = defineMutation<{ taskId: string; relationId: string }, TTaskRelation>(
  "relation.delete",
  "tasks.edit",
  async ({ ctx, input }) => {
    const task = await loadTask(ctx, input.taskId);
    const row = await getRelationWithTasks(ctx.tx, { orgId: ctx.org.id, id: input.relationId });
    if (!row || (row.relation.fromTaskId !== task.id && row.relation.toTaskId !== task.id)) {
      throw notFound("Relation");
    }
    await deleteRelationRow(ctx.tx, { orgId: ctx.org.id, id: row.relation.id });
    await recordEvent(ctx, relationEvent("DELETE_RELATION", row, task.id));
    return toRelationDto(row, task.id);
  },
);

/**
 * A task being deleted takes its relations with it, in the caller's transaction, each with its
 * DELETE_RELATION event. Call it while the task is still live (its relations are read joined to it).
 */
export async function removeTaskRelations(ctx: TxCtx, taskId: string): Promise<void> {
  const rows = await listTaskRelations(ctx.tx, { orgId: ctx.org.id, taskId });
  await deleteTaskRelationRows(ctx.tx, { orgId: ctx.org.id, taskId });
  for (const row of rows) await recordEvent(ctx, relationEvent("DELETE_RELATION", row, taskId));
}
