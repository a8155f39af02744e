import type { TCreateRelationInput, TTaskRelation } from "@tandem/contracts";
import {
  blocksPathExists,
  findRelationBetween,
  insertRelation,
  lockOrgRelations,
  lockTask,
  type RelatedTaskRow,
  type StoredRelationType,
  type TaskRow,
} from "@tandem/database";
import { newId } from "@tandem/util";
import { actorId, defineMutation, type TxCtx } from "../context.ts";
import { conflict, invalid, notFound } from "../errors.ts";
import { projectKeyOf } from "../projects/workflow.ts";
import { recordEvent } from "../record-event.ts";
import { loadTask } from "../tasks/shared.ts";
import { relationEvent, toRelationDto, withEnds } from "./dto.ts";

/** What is stored for a request: `blocked_by` is `blocks` from the other side. */
function normalise(type: TCreateRelationInput["type"], self: string, other: string) {
  if (type === "blocked_by") return { type: "blocks" as StoredRelationType, from: other, to: self };
  return { type: type as StoredRelationType, from: self, to: other };
}

async function end(ctx: TxCtx, row: TaskRow): Promise<RelatedTaskRow> {
  return {
    id: row.id,
    number: row.number,
    projectKey: await projectKeyOf(ctx, row.projectId),
    title: row.title,
    status: row.status,
  };
}

async function lockPair(ctx: TxCtx, selfId: string, otherId: string): Promise<[TaskRow, TaskRow]> {
  const rows = new Map<string, TaskRow>();
  for (const id of [selfId, otherId].sort()) {
    const row = await lockTask(ctx.tx, { orgId: ctx.org.id, ref: { id } });
    if (!row) throw notFound("Task");
    rows.set(id, row);
  }
  return [rows.get(selfId) as TaskRow, rows.get(otherId) as TaskRow];
}

/**
 * Links two tasks of the org. A task cannot relate to itself (400); the same link twice, or a
 * `blocks` that would close a loop, is a conflict (409). Writes are serialised per org so two
 * requests cannot close a loop between them.
 */
export const createRelation = defineMutation<{ taskId: string; relation: TCreateRelationInput }, TTaskRelation>(
  "relation.create",
  "tasks.edit",
  async ({ ctx, input }) => {
    const named = await loadTask(ctx, input.taskId);
    const otherNamed = await loadTask(ctx, input.relation.taskId);
    if (named.id === otherNamed.id) throw invalid("taskId", "A task cannot relate to itself");
    // Both rows locked (in id order: no deadlock between two requests), so a concurrent delete
    // of either task waits for this link and then removes it, or wins and this is a 404.
    const [self, other] = await lockPair(ctx, named.id, otherNamed.id);
    const { type, from, to } = normalise(input.relation.type, self.id, other.id);
    await lockOrgRelations(ctx.tx, { orgId: ctx.org.id });
    // `relates` is symmetric, and a reverse `duplicate_of` or `blocks` contradicts this one.
    const existing = await findRelationBetween(ctx.tx, { orgId: ctx.org.id, a: from, b: to, types: [type] });
    if (existing) throw conflict("These tasks are already related this way");
    if (type === "blocks" && (await blocksPathExists(ctx.tx, { orgId: ctx.org.id, from: to, to: from }))) {
      throw conflict("This would make a loop of blocking tasks");
    }
    const row = await insertRelation(ctx.tx, {
      id: newId("rel"),
      orgId: ctx.org.id,
      type,
      fromTaskId: from,
      toTaskId: to,
      createdBy: actorId(ctx),
    });
    const [selfEnd, otherEnd] = [await end(ctx, self), await end(ctx, other)];
    const full = from === self.id ? withEnds(row, selfEnd, otherEnd) : withEnds(row, otherEnd, selfEnd);
    await recordEvent(ctx, relationEvent("CREATE_RELATION", full, self.id));
    return toRelationDto(full, self.id);
  },
);
