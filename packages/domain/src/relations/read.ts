import type { TBlockingPairs, TTaskRelation } from "@tandem/contracts";
import { listBlockingRelations, listTaskRelations } from "@tandem/database";
import { defineQuery } from "../context.ts";
import { resolveProject } from "../projects/workflow.ts";
import { loadTask } from "../tasks/shared.ts";
import { relatedTaskKey, toRelationDto } from "./dto.ts";

/** A task's relations from both sides, each as read from this task. */
export const listRelations = defineQuery<{ taskId: string }, TTaskRelation[]>(
  "relation.list",
  null,
  async ({ ctx, input }) => {
    const task = await loadTask(ctx, input.taskId);
    const rows = await listTaskRelations(ctx.db, { orgId: ctx.org.id, taskId: task.id });
    return rows.map((row) => toRelationDto(row, task.id));
  },
);

const FINISHED = new Set(["done", "canceled"]);

/** The org's blocking pairs (of one project's blocked tasks when `project` names one). */
export const listBlockingPairs = defineQuery<{ project?: string | undefined }, TBlockingPairs>(
  "relation.blocking",
  null,
  async ({ ctx, input }) => {
    const projectId = input.project ? (await resolveProject(ctx, input.project)).id : undefined;
    const rows = await listBlockingRelations(ctx.db, { orgId: ctx.org.id, projectId });
    return {
      pairs: rows.map(({ relation, from, to }) => ({
        id: relation.id,
        blockerId: from.id,
        blockerKey: relatedTaskKey(from),
        blockerStatus: from.status as TTaskRelation["relatedTaskStatus"],
        blockedId: to.id,
        blockedKey: relatedTaskKey(to),
        active: !FINISHED.has(from.status),
      })),
    };
  },
);
