import type { TMoveTaskInput, TTask } from "@tandem/contracts";
import { adjacentRank, getTask, lastRankInStatus, lockTask, type TaskRow, updateTaskRow } from "@tandem/database";
import { isValidRankOrder, rankAfter, rankBetween } from "@tandem/util";
import { actorId, defineMutation, type TxCtx } from "../context.ts";
import { conflict, invalid, notFound } from "../errors.ts";
import { parseTaskRef, recordTaskChange } from "./shared.ts";

async function neighbour(ctx: TxCtx, id: string, field: "afterId" | "beforeId", status: string) {
  const row = await getTask(ctx.tx, { orgId: ctx.org.id, ref: { id } });
  if (!row) throw invalid(field, "Unknown neighbour task");
  if (row.status !== status) throw invalid(field, "The neighbour is in another column");
  return row;
}

/** Places the card between `afterId` (above it) and `beforeId` (below it): one row written. */
async function targetRank(ctx: TxCtx, task: TaskRow, input: TMoveTaskInput): Promise<string> {
  const orgId = ctx.org.id;
  const { status } = input;
  if (input.afterId === task.id || input.beforeId === task.id)
    throw invalid("afterId", "A card cannot neighbour itself");
  const above = input.afterId ? await neighbour(ctx, input.afterId, "afterId", status) : null;
  const below = input.beforeId ? await neighbour(ctx, input.beforeId, "beforeId", status) : null;
  let low = above?.rank ?? null;
  let high = below?.rank ?? null;
  if (above && !below) {
    high = await adjacentRank(ctx.tx, { orgId, status, rank: above.rank, direction: "after", excludeId: task.id });
  } else if (below && !above) {
    low = await adjacentRank(ctx.tx, { orgId, status, rank: below.rank, direction: "before", excludeId: task.id });
  } else if (!above && !below) {
    if (task.status === status) return task.rank;
    low = await lastRankInStatus(ctx.tx, { orgId, status });
  }
  if (!isValidRankOrder(low, high) || (low !== null && low === high)) {
    throw conflict("The neighbours moved; reload the board and try again");
  }
  return high === null ? rankAfter(low) : rankBetween(low, high);
}

export const moveTask = defineMutation<{ taskId: string; move: TMoveTaskInput }, TTask>(
  "task.move",
  "tasks.edit",
  async ({ ctx, input: { taskId, move } }) => {
    const before = await lockTask(ctx.tx, { orgId: ctx.org.id, ref: parseTaskRef(ctx, taskId) });
    if (!before) throw notFound("Task");
    const rank = await targetRank(ctx, before, move);
    const after = await updateTaskRow(ctx.tx, {
      orgId: ctx.org.id,
      id: before.id,
      values: { status: move.status, rank, updatedBy: actorId(ctx) },
    });
    const changes = [];
    if (before.status !== after.status) changes.push({ field: "status", from: before.status, to: after.status });
    changes.push({ field: "rank", from: before.rank, to: after.rank });
    return recordTaskChange(ctx, {
      type: "UPDATE_TASK",
      action: "moved",
      task: after,
      changes,
      wasPublic: before.visibility === "public",
    });
  },
);
