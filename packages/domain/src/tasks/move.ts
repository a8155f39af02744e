import type { TMoveTaskInput, TTask } from "@tandem/contracts";
import { adjacentRank, getTask, lastRankInState, lockTask, type TaskRow, updateTaskRow } from "@tandem/database";
import { isValidRankOrder, rankAfter, rankBetween } from "@tandem/util";
import { actorId, defineMutation, type TxCtx } from "../context.ts";
import { conflict, invalid, notFound } from "../errors.ts";
import { pickState, statesOf } from "../projects/workflow.ts";
import { parseTaskRef, recordTaskChange } from "./shared.ts";

async function neighbour(ctx: TxCtx, task: TaskRow, id: string, field: "afterId" | "beforeId", stateId: string) {
  const row = await getTask(ctx.tx, { orgId: ctx.org.id, ref: { id } });
  if (!row) throw invalid(field, "Unknown neighbour task");
  if (row.projectId !== task.projectId || row.stateId !== stateId)
    throw invalid(field, "The neighbour is in another column");
  return row;
}

/** Places the card between `afterId` (above it) and `beforeId` (below it): one row written. */
async function targetRank(ctx: TxCtx, task: TaskRow, stateId: string, input: TMoveTaskInput): Promise<string> {
  const orgId = ctx.org.id;
  const column = { orgId, projectId: task.projectId, stateId };
  if (input.afterId === task.id || input.beforeId === task.id)
    throw invalid("afterId", "A card cannot neighbour itself");
  const above = input.afterId ? await neighbour(ctx, task, input.afterId, "afterId", stateId) : null;
  const below = input.beforeId ? await neighbour(ctx, task, input.beforeId, "beforeId", stateId) : null;
  let low = above?.rank ?? null;
  let high = below?.rank ?? null;
  if (above && !below) {
    high = await adjacentRank(ctx.tx, { ...column, rank: above.rank, direction: "after", excludeId: task.id });
  } else if (below && !above) {
    low = await adjacentRank(ctx.tx, { ...column, rank: below.rank, direction: "before", excludeId: task.id });
  } else if (!above && !below) {
    if (task.stateId === stateId) return task.rank;
    low = await lastRankInState(ctx.tx, column);
  }
  if (!isValidRankOrder(low, high) || (low !== null && low === high)) {
    throw conflict("The neighbours moved; reload the board and try again");
  }
  return high === null ? rankAfter(low) : rankBetween(low, high);
}

/** Moves a card to a column (`stateId`, or `status`: that category's first state) and a place in it. */
export const moveTask = defineMutation<{ taskId: string; move: TMoveTaskInput }, TTask>(
  "task.move",
  "tasks.edit",
  async ({ ctx, input: { taskId, move } }) => {
    const before = await lockTask(ctx.tx, { orgId: ctx.org.id, ref: parseTaskRef(taskId) });
    if (!before) throw notFound("Task");
    if (!move.stateId && !move.status) throw invalid("stateId", "Give the target stateId or status");
    const target = pickState(await statesOf(ctx, before.projectId), move, before.stateId);
    const rank = await targetRank(ctx, before, target.stateId, move);
    const after = await updateTaskRow(ctx.tx, {
      orgId: ctx.org.id,
      id: before.id,
      values: { stateId: target.stateId, status: target.status, rank, updatedBy: actorId(ctx) },
    });
    const changes = [];
    if (before.status !== after.status) changes.push({ field: "status", from: before.status, to: after.status });
    if (before.stateId !== after.stateId) changes.push({ field: "stateId", from: before.stateId, to: after.stateId });
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
