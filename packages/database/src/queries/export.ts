import { aliasedTable, and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Executor } from "../client.ts";
import { attachment, task, taskActivity, taskComment, taskRelation } from "../schema/index.ts";

/**
 * Keyset pages of an org's rows, for the streamed export: each page is one indexed read after
 * the last id, so a 50,000-task org never sits in memory at once.
 */
type Page = { orgId: string; afterId: string; limit: number };

/** A position in the export's task order: project, then number. */
export type TaskExportCursor = { projectId: string; number: number };

/** Tasks by project, then number (the project's number index), after `after`; `projectId` keeps one project's. */
export async function exportTaskPage(
  db: Executor,
  {
    orgId,
    after,
    limit,
    projectId,
  }: { orgId: string; after: TaskExportCursor | null; limit: number; projectId?: string | undefined },
) {
  return db
    .select()
    .from(task)
    .where(
      and(
        eq(task.orgId, orgId),
        isNull(task.deletedAt),
        projectId ? eq(task.projectId, projectId) : undefined,
        after ? sql`(${task.projectId}, ${task.number}) > (${after.projectId}, ${after.number})` : undefined,
      ),
    )
    .orderBy(asc(task.projectId), asc(task.number))
    .limit(limit);
}

export async function exportCommentPage(db: Executor, { orgId, afterId, limit }: Page) {
  return db
    .select({ comment: taskComment })
    .from(taskComment)
    .innerJoin(task, eq(task.id, taskComment.taskId))
    .where(
      and(
        eq(taskComment.orgId, orgId),
        isNull(taskComment.deletedAt),
        isNull(task.deletedAt),
        gt(taskComment.id, afterId),
      ),
    )
    .orderBy(asc(taskComment.id))
    .limit(limit)
    .then((rows) => rows.map((row) => row.comment));
}

export async function exportActivityPage(db: Executor, { orgId, afterId, limit }: Page) {
  return db
    .select({ activity: taskActivity })
    .from(taskActivity)
    .innerJoin(task, eq(task.id, taskActivity.taskId))
    .where(and(eq(taskActivity.orgId, orgId), isNull(task.deletedAt), gt(taskActivity.id, afterId)))
    .orderBy(asc(taskActivity.id))
    .limit(limit)
    .then((rows) => rows.map((row) => row.activity));
}

export async function exportAttachmentPage(db: Executor, { orgId, afterId, limit }: Page) {
  return db
    .select({ attachment })
    .from(attachment)
    .innerJoin(task, eq(task.id, attachment.taskId))
    .where(
      and(
        eq(attachment.orgId, orgId),
        isNull(attachment.deletedAt),
        isNull(task.deletedAt),
        gt(attachment.id, afterId),
      ),
    )
    .orderBy(asc(attachment.id))
    .limit(limit)
    .then((rows) => rows.map((row) => row.attachment));
}

const toTask = aliasedTable(task, "to_task");

/** Relations between two live tasks of the org. */
export async function exportRelationPage(db: Executor, { orgId, afterId, limit }: Page) {
  return db
    .select({ relation: taskRelation })
    .from(taskRelation)
    .innerJoin(task, eq(task.id, taskRelation.fromTaskId))
    .innerJoin(toTask, eq(toTask.id, taskRelation.toTaskId))
    .where(
      and(
        eq(taskRelation.orgId, orgId),
        isNull(task.deletedAt),
        isNull(toTask.deletedAt),
        gt(taskRelation.id, afterId),
      ),
    )
    .orderBy(asc(taskRelation.id))
    .limit(limit)
    .then((rows) => rows.map((row) => row.relation));
}
