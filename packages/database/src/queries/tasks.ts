import { and, asc, desc, eq, gt, inArray, isNull, lt, ne, type SQL, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import { task, taskActivity, taskAssignee, taskLabel } from "../schema/index.ts";

export type TaskRow = typeof task.$inferSelect;
export type TaskWithRelations = TaskRow & { labelIds: string[]; assigneeIds: string[] };
export type TaskStatus = TaskRow["status"];

const relationColumns = {
  labelIds: sql<
    string[]
  >`coalesce((select array_agg(tl.label_id order by tl.label_id) from task_label tl where tl.task_id = ${task.id}), '{}')`,
  assigneeIds: sql<
    string[]
  >`coalesce((select array_agg(ta.user_id order by ta.user_id) from task_assignee ta where ta.task_id = ${task.id}), '{}')`,
};

const taskColumns = {
  id: task.id,
  orgId: task.orgId,
  number: task.number,
  title: task.title,
  description: task.description,
  status: task.status,
  priority: task.priority,
  categoryId: task.categoryId,
  parentId: task.parentId,
  visibility: task.visibility,
  rank: task.rank,
  version: task.version,
  syncedAt: task.syncedAt,
  createdBy: task.createdBy,
  updatedBy: task.updatedBy,
  createdAt: task.createdAt,
  updatedAt: task.updatedAt,
  deletedAt: task.deletedAt,
  ...relationColumns,
};

export type TaskRef = { id: string } | { number: number };

function refCondition(ref: TaskRef): SQL {
  return "id" in ref ? eq(task.id, ref.id) : eq(task.number, ref.number);
}

export async function getTask(
  db: Executor,
  params: { orgId: string; ref: TaskRef; includeDeleted?: boolean },
): Promise<TaskWithRelations | undefined> {
  const [row] = await db
    .select(taskColumns)
    .from(task)
    .where(
      and(
        eq(task.orgId, params.orgId),
        refCondition(params.ref),
        params.includeDeleted ? undefined : isNull(task.deletedAt),
      ),
    );
  return row;
}

/** Locks a live task row for a read-modify-write. NO KEY UPDATE leaves FK checks unblocked. */
export async function lockTask(
  tx: Transaction,
  params: { orgId: string; ref: TaskRef },
): Promise<TaskWithRelations | undefined> {
  const [row] = await tx
    .select(taskColumns)
    .from(task)
    .where(and(eq(task.orgId, params.orgId), refCondition(params.ref), isNull(task.deletedAt)))
    .for("no key update", { of: task });
  return row;
}

export type TaskFilters = {
  statuses?: TaskStatus[];
  priorities?: TaskRow["priority"][];
  labelIds?: string[];
  assigneeIds?: string[];
  q?: string;
  visibility?: TaskRow["visibility"];
};
export type TaskCursor = { status: TaskStatus; rank: string; id: string };

/** Board order: status column, then rank within it; keyset-paginated. */
export async function listTasks(
  db: Executor,
  params: { orgId: string; filters: TaskFilters; cursor?: TaskCursor; limit: number },
): Promise<TaskWithRelations[]> {
  const { filters } = params;
  const conditions: (SQL | undefined)[] = [eq(task.orgId, params.orgId), isNull(task.deletedAt)];
  if (filters.statuses?.length) conditions.push(inArray(task.status, filters.statuses));
  if (filters.priorities?.length) conditions.push(inArray(task.priority, filters.priorities));
  if (filters.visibility) conditions.push(eq(task.visibility, filters.visibility));
  if (filters.labelIds?.length) {
    conditions.push(
      sql`exists (select 1 from task_label tl where tl.task_id = ${task.id} and tl.label_id in ${filters.labelIds})`,
    );
  }
  if (filters.assigneeIds?.length) {
    conditions.push(
      sql`exists (select 1 from task_assignee ta where ta.task_id = ${task.id} and ta.user_id in ${filters.assigneeIds})`,
    );
  }
  if (filters.q) {
    const pattern = `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const number = /^(?:[a-z][a-z0-9]*-)?(\d{1,9})$/i.exec(filters.q)?.[1];
    conditions.push(
      number
        ? sql`(${task.title} ilike ${pattern} or ${task.number} = ${Number(number)})`
        : sql`${task.title} ilike ${pattern}`,
    );
  }
  if (params.cursor) {
    conditions.push(
      sql`(${task.status}, ${task.rank}, ${task.id}) > (${params.cursor.status}::task_status, ${params.cursor.rank}, ${params.cursor.id})`,
    );
  }
  return db
    .select(taskColumns)
    .from(task)
    .where(and(...conditions))
    .orderBy(asc(task.status), asc(task.rank), asc(task.id))
    .limit(params.limit);
}

export async function insertTask(tx: Transaction, values: typeof task.$inferInsert): Promise<void> {
  await tx.insert(task).values(values);
}

export async function updateTaskRow(
  tx: Transaction,
  params: { orgId: string; id: string; values: Partial<typeof task.$inferInsert> },
): Promise<void> {
  await tx
    .update(task)
    .set({ ...params.values, version: sql`${task.version} + 1`, updatedAt: new Date() })
    .where(and(eq(task.orgId, params.orgId), eq(task.id, params.id)));
}

export async function replaceTaskLabels(tx: Transaction, { taskId, labelIds }: { taskId: string; labelIds: string[] }) {
  await tx.delete(taskLabel).where(eq(taskLabel.taskId, taskId));
  if (labelIds.length) await tx.insert(taskLabel).values(labelIds.map((labelId) => ({ taskId, labelId })));
}

export async function replaceTaskAssignees(
  tx: Transaction,
  { taskId, userIds }: { taskId: string; userIds: string[] },
) {
  await tx.delete(taskAssignee).where(eq(taskAssignee.taskId, taskId));
  if (userIds.length) await tx.insert(taskAssignee).values(userIds.map((userId) => ({ taskId, userId })));
}

/** The rank of the last card in a column, to append after it. */
export async function lastRankInStatus(
  db: Executor,
  { orgId, status }: { orgId: string; status: TaskStatus },
): Promise<string | null> {
  const [row] = await db
    .select({ rank: task.rank })
    .from(task)
    .where(and(eq(task.orgId, orgId), eq(task.status, status), isNull(task.deletedAt)))
    .orderBy(desc(task.rank), desc(task.id))
    .limit(1);
  return row?.rank ?? null;
}

/** The card directly after (or before) `rank` in a column, ignoring `excludeId`. */
export async function adjacentRank(
  db: Executor,
  params: { orgId: string; status: TaskStatus; rank: string; direction: "after" | "before"; excludeId: string },
): Promise<string | null> {
  const after = params.direction === "after";
  const [row] = await db
    .select({ rank: task.rank })
    .from(task)
    .where(
      and(
        eq(task.orgId, params.orgId),
        eq(task.status, params.status),
        isNull(task.deletedAt),
        ne(task.id, params.excludeId),
        after ? gt(task.rank, params.rank) : lt(task.rank, params.rank),
      ),
    )
    .orderBy(after ? asc(task.rank) : desc(task.rank))
    .limit(1);
  return row?.rank ?? null;
}

/** Walks up the parent chain (bounded) to reject a parent that would make a cycle. */
export async function ancestorIds(db: Executor, { orgId, taskId }: { orgId: string; taskId: string }) {
  const rows = await db.execute<{ id: string }>(sql`
    with recursive chain(id, parent_id, depth) as (
      select id, parent_id, 0 from task where org_id = ${orgId} and id = ${taskId}
      union all
      select t.id, t.parent_id, c.depth + 1 from task t join chain c on t.id = c.parent_id
       where t.org_id = ${orgId} and c.depth < 100
    )
    select id from chain`);
  return rows.map((row) => row.id);
}

export type ActivityInsert = typeof taskActivity.$inferInsert;

export async function insertActivity(tx: Transaction, values: ActivityInsert): Promise<void> {
  await tx.insert(taskActivity).values(values);
}

export async function listActivity(db: Executor, { orgId, taskId }: { orgId: string; taskId: string }) {
  return db
    .select()
    .from(taskActivity)
    .where(and(eq(taskActivity.orgId, orgId), eq(taskActivity.taskId, taskId)))
    .orderBy(asc(taskActivity.createdAt), asc(taskActivity.id));
}
