import type { TEventInput, TRelationType, TTaskRelation } from "@tandem/contracts";
import type { RelatedTaskRow, RelationRow, RelationWithTasks, StoredRelationType } from "@tandem/database";
import { formatTaskKey } from "@tandem/util";

/** How a stored relation reads from its `to` side. */
const INVERSE: Record<StoredRelationType, TRelationType> = {
  blocks: "blocked_by",
  relates: "relates",
  duplicate_of: "duplicated_by",
};

export const relatedTaskKey = (t: RelatedTaskRow) => formatTaskKey(t.projectKey, t.number);

/** The relation as listed on `selfId`'s side (the `from` side unless `selfId` is its `to` task). */
export function toRelationDto(row: RelationWithTasks, selfId: string): TTaskRelation {
  const forward = row.relation.fromTaskId === selfId;
  const other = forward ? row.to : row.from;
  return {
    id: row.relation.id,
    type: forward ? row.relation.type : INVERSE[row.relation.type],
    taskId: forward ? row.from.id : row.to.id,
    relatedTaskId: other.id,
    relatedTaskKey: relatedTaskKey(other),
    relatedTaskTitle: other.title,
    relatedTaskStatus: other.status as TTaskRelation["relatedTaskStatus"],
    createdAt: row.relation.createdAt.toISOString(),
  };
}

/** A relation event: the relation from `selfId`'s side, and its inverse from the other task's. */
export function relationEvent(
  type: "CREATE_RELATION" | "DELETE_RELATION",
  row: RelationWithTasks,
  selfId: string,
): TEventInput {
  const otherId = row.relation.fromTaskId === selfId ? row.relation.toTaskId : row.relation.fromTaskId;
  return { type, payload: { relation: toRelationDto(row, selfId), inverse: toRelationDto(row, otherId) } };
}

/** Attaches the ends to a freshly written row (the ends were read while checking the request). */
export function withEnds(relation: RelationRow, from: RelatedTaskRow, to: RelatedTaskRow): RelationWithTasks {
  return { relation, from, to };
}
