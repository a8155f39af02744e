import {
  and,
  arrayOverlaps,
  asc,
  desc,
  eq,
  getTableColumns,
  gt,
  inArray,
  isNull,
  lt,
  ne,
  type SQL,
  sql,
} from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import { executePrepared } from "../prepared.ts";
import { task, taskActivity } from "../schema/index.ts";
import { appendEventSql, jsonOrNull, type NewEvent, noteAppended } from "./events.ts";

export type TaskRow = typeof task.$inferSelect;
export type TaskInsert = typeof task.$inferInsert;
export type TaskStatus = TaskRow["status"];
/** A task by its id, or by its key (`ENG-42`: the project's key and the number). */
export type TaskRef = { id: string } | { projectKey: string; number: number };
export type ActivityInsert = typeof taskActivity.$inferInsert;

/** The project a key names: the one with that key, else the one that had it before a rename. */
const projectByKey = (orgId: string, key: string) =>
  sql`(select id from project where org_id = ${orgId} and (key = ${key} or ${key} = any(former_keys)) order by key = ${key} desc limit 1)`;

function refCondition(orgId: string, ref: TaskRef): SQL {
  if ("id" in ref) return eq(task.id, ref.id);
  return sql`${task.projectId} = ${projectByKey(orgId, ref.projectKey)} and ${task.number} = ${ref.number}`;
}

export async function getTask(
  db: Executor,
  params: { orgId: string; ref: TaskRef; includeDeleted?: boolean },
): Promise<TaskRow | undefined> {
  const [row] = await db
    .select()
    .from(task)
    .where(
      and(
        eq(task.orgId, params.orgId),
        refCondition(params.orgId, params.ref),
        params.includeDeleted ? undefined : isNull(task.deletedAt),
      ),
    )
    .prepare("task_get")
    .execute();
  return row;
}

/** Locks a live task row for a read-modify-write. NO KEY UPDATE leaves FK checks unblocked. */
export async function lockTask(tx: Transaction, params: { orgId: string; ref: TaskRef }): Promise<TaskRow | undefined> {
  const [row] = await tx
    .select()
    .from(task)
    .where(and(eq(task.orgId, params.orgId), refCondition(params.orgId, params.ref), isNull(task.deletedAt)))
    .for("no key update")
    .prepare("task_lock")
    .execute();
  return row;
}

export type TaskFilters = {
  projectIds?: string[];
  stateIds?: string[];
  statuses?: TaskStatus[];
  /** Due on or before / on or after these dates ('YYYY-MM-DD'). */
  dueBefore?: string;
  dueAfter?: string;
  priorities?: TaskRow["priority"][];
  labelIds?: string[];
  assigneeIds?: string[];
  q?: string;
  visibility?: TaskRow["visibility"];
};
export type TaskCursor = { projectId: string; status: TaskStatus; stateId: string; rank: string; id: string };

/**
 * Board order: project, then column (the state's category, then the state), then rank within
 * it; keyset-paginated on all five.
 */
export async function listTasks(
  db: Executor,
  params: {
    orgId: string;
    filters: TaskFilters;
    cursor?: TaskCursor;
    limit: number;
    /** Read only this many characters of each description (lists that show an excerpt). */
    descriptionChars?: number;
  },
): Promise<TaskRow[]> {
  const { filters } = params;
  const conditions: (SQL | undefined)[] = [eq(task.orgId, params.orgId), isNull(task.deletedAt)];
  if (filters.projectIds?.length) conditions.push(inArray(task.projectId, filters.projectIds));
  if (filters.stateIds?.length) conditions.push(inArray(task.stateId, filters.stateIds));
  if (filters.statuses?.length) conditions.push(inArray(task.status, filters.statuses));
  if (filters.dueBefore) conditions.push(sql`${task.dueDate} <= ${filters.dueBefore}::date`);
  if (filters.dueAfter) conditions.push(sql`${task.dueDate} >= ${filters.dueAfter}::date`);
  if (filters.priorities?.length) conditions.push(inArray(task.priority, filters.priorities));
  if (filters.visibility) conditions.push(eq(task.visibility, filters.visibility));
  if (filters.labelIds?.length) conditions.push(arrayOverlaps(task.labelIds, filters.labelIds));
  if (filters.assigneeIds?.length) conditions.push(arrayOverlaps(task.assigneeIds, filters.assigneeIds));
  if (filters.q) {
    const pattern = `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const match = /^(?:([a-z][a-z0-9]*)-)?(\d{1,9})$/i.exec(filters.q);
    const [, key, number] = match ?? [];
    // `ENG-42` matches that task of that project; a bare `42` the 42nd of every project.
    const numbered = key
      ? sql`(${task.number} = ${Number(number)} and ${task.projectId} = ${projectByKey(params.orgId, key.toUpperCase())})`
      : sql`${task.number} = ${Number(number)}`;
    conditions.push(
      number ? sql`(${task.title} ilike ${pattern} or ${numbered})` : sql`${task.title} ilike ${pattern}`,
    );
  }
  if (params.cursor) {
    conditions.push(
      sql`(${task.projectId}, ${task.status}, ${task.stateId}, ${task.rank}, ${task.id}) > (${params.cursor.projectId}, ${params.cursor.status}::task_status, ${params.cursor.stateId}, ${params.cursor.rank}, ${params.cursor.id})`,
    );
  }
  const columns =
    params.descriptionChars === undefined
      ? getTableColumns(task)
      : { ...getTableColumns(task), description: sql<string>`left(${task.description}, ${params.descriptionChars})` };
  return db
    .select(columns)
    .from(task)
    .where(and(...conditions))
    .orderBy(asc(task.projectId), asc(task.status), asc(task.stateId), asc(task.rank), asc(task.id))
    .limit(params.limit)
    .prepare("task_list")
    .execute();
}

/** A Postgres text[] from ids, as one bound parameter. */
function textArray(values: readonly string[]): SQL {
  return sql`${`{${values.map((value) => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(",")}}`}::text[]`;
}

/**
 * Creates a task in ONE statement: allocate its number from its project's counter (locking the
 * project row) and then the event `seq` (locking the org's counter row: project first, then the
 * org, as every writer takes them), take the rank after the column's last card
 * (`tandem_key_after` + the caller's random `rankTail`, so concurrent appends that saw the same
 * last card stay distinct), insert the task, its activity row and its event. The locks are then
 * held only for this statement and the commit, which is what bounds creates per project.
 */
export async function insertTaskWithEvent(
  tx: Transaction,
  params: {
    task: Omit<TaskInsert, "number" | "rank"> & { id: string; orgId: string; createdAt: Date; updatedAt: Date };
    rankTail: string;
    activity: Omit<ActivityInsert, "taskId" | "orgId">;
    event: Omit<NewEvent, "orgId">;
    /** The project's key, for the key written into the event (`KEY-number`). */
    projectKey: string;
  },
): Promise<{ number: number; rank: string; seq: number }> {
  const t = params.task;
  const a = params.activity;
  const e = params.event;
  // Raw SQL bypasses Drizzle's column mapping: timestamps go as ISO text.
  const created = t.createdAt.toISOString();
  const rows = await executePrepared<{ number: number; rank: string; seq: number }>(
    tx,
    "task_insert",
    sql`
    with numbered as (
      update project set last_task_number = last_task_number + 1
       where id = ${t.projectId} and org_id = ${t.orgId}
      returning org_id, last_task_number as number
    ), counter as (
      -- The sub-select is evaluated before this update scans: the project row is locked first.
      update org_counter set last_event_seq = last_event_seq + 1
       where org_id = (select org_id from numbered)
      returning last_event_seq as seq
    ), ranked as (
      select tandem_key_after((
        select rank from task
         where org_id = ${t.orgId} and project_id = ${t.projectId} and state_id = ${t.stateId} and deleted_at is null
         order by rank desc, id desc limit 1)) || ${params.rankTail} as rank
    ), inserted as (
      insert into task (id, org_id, project_id, number, title, description, state_id, status, priority, start_date,
                        due_date, estimate, category_id, parent_id, visibility, rank, label_ids, assignee_ids,
                        external_assignees, synced_at, created_by, updated_by, created_at, updated_at)
      select ${t.id}, ${t.orgId}, ${t.projectId}, numbered.number, ${t.title}, ${t.description ?? ""}, ${t.stateId},
             ${t.status}::task_status, ${t.priority}::task_priority, ${t.startDate ?? null}::date,
             ${t.dueDate ?? null}::date, ${t.estimate ?? null}::int, ${t.categoryId ?? null}, ${t.parentId ?? null},
             ${t.visibility}::task_visibility, ranked.rank, ${textArray(t.labelIds ?? [])},
             ${textArray(t.assigneeIds ?? [])}, ${JSON.stringify(t.externalAssignees ?? [])}::jsonb,
             ${JSON.stringify(t.syncedAt ?? {})}::jsonb, ${t.createdBy ?? null}, ${t.updatedBy ?? null}, ${created}::timestamptz, ${t.updatedAt.toISOString()}::timestamptz
        from numbered, ranked
      returning id, rank
    ), activity as (
      insert into task_activity (id, org_id, task_id, actor_id, actor_type, actor_key, action, changes, created_at)
      select ${a.id}, ${t.orgId}, inserted.id, ${a.actorId ?? null}, ${a.actorType}::actor_type,
             ${jsonOrNull(a.actorKey)}::jsonb, ${a.action}, ${JSON.stringify(a.changes)}::jsonb, ${created}::timestamptz
        from inserted
    ), ev as (
      insert into event (org_id, seq, type, visibility, actor_id, actor_key, origin, payload, created_at)
      select ${t.orgId}, counter.seq, ${e.type}, ${e.visibility}, ${e.actorId}, ${jsonOrNull(e.actorKey)}::jsonb,
             ${e.origin ?? null},
             jsonb_set(jsonb_set(jsonb_set(${JSON.stringify(e.payload)}::jsonb, '{task,number}', to_jsonb(numbered.number)),
                       '{task,key}', to_jsonb(${params.projectKey}::text || '-' || numbered.number)),
                       '{task,rank}', to_jsonb(inserted.rank::text)),
             ${created}::timestamptz
        from numbered, counter, inserted
      returning seq
    )
    select numbered.number::int as number, inserted.rank::text as rank, ev.seq::bigint as seq
      from numbered, inserted, ev`,
  );
  const row = rows[0];
  if (!row) throw new Error(`no project ${t.projectId} in org ${t.orgId}`);
  return { number: Number(row.number), rank: row.rank, seq: noteAppended(tx, Number(row.seq)) };
}

/** Writes a task change and returns the new row; the version bump is part of every write. */
export async function updateTaskRow(
  tx: Transaction,
  params: { orgId: string; id: string; values: Partial<TaskInsert> },
): Promise<TaskRow> {
  const [row] = await tx
    .update(task)
    .set({ ...params.values, version: sql`${task.version} + 1`, updatedAt: new Date() })
    .where(and(eq(task.orgId, params.orgId), eq(task.id, params.id)))
    .returning()
    .prepare("task_update")
    .execute();
  if (!row) throw new Error(`task ${params.id} vanished under its lock`);
  return row;
}

/**
 * Appends the activity row and the event in one statement (the counter lock is taken last,
 * so it is held only for this statement and the commit).
 */
export async function recordTaskEvent(
  tx: Transaction,
  params: { orgId: string; activity: ActivityInsert; event: NewEvent },
): Promise<number> {
  const a = params.activity;
  return appendEventSql(
    tx,
    params.event,
    sql`insert into task_activity (id, org_id, task_id, actor_id, actor_type, actor_key, action, changes)
        values (${a.id}, ${params.orgId}, ${a.taskId}, ${a.actorId ?? null}, ${a.actorType}::actor_type,
                ${jsonOrNull(a.actorKey)}::jsonb, ${a.action}, ${JSON.stringify(a.changes)}::jsonb)`,
  );
}

/** Strips a deleted label from every task of the org; each changed task's version rises (SPEC §4). */
export async function removeLabelFromTasks(tx: Transaction, { orgId, labelId }: { orgId: string; labelId: string }) {
  await tx
    .update(task)
    .set({
      labelIds: sql`array_remove(${task.labelIds}, ${labelId})`,
      version: sql`${task.version} + 1`,
      updatedAt: new Date(),
    })
    .where(and(eq(task.orgId, orgId), arrayOverlaps(task.labelIds, [labelId])));
}

/** Unassigns a removed member from every task of the org; each changed task's version rises (SPEC §4). */
export async function removeAssigneeFromTasks(tx: Transaction, { orgId, userId }: { orgId: string; userId: string }) {
  await tx
    .update(task)
    .set({
      assigneeIds: sql`array_remove(${task.assigneeIds}, ${userId})`,
      version: sql`${task.version} + 1`,
      updatedAt: new Date(),
    })
    .where(and(eq(task.orgId, orgId), arrayOverlaps(task.assigneeIds, [userId])));
}

/** The card directly after (or before) `rank` in a state's column, ignoring `excludeId`. */
export async function adjacentRank(
  db: Executor,
  params: {
    orgId: string;
    projectId: string;
    stateId: string;
    rank: string;
    direction: "after" | "before";
    excludeId: string;
  },
): Promise<string | null> {
  const after = params.direction === "after";
  const [row] = await db
    .select({ rank: task.rank })
    .from(task)
    .where(
      and(
        eq(task.orgId, params.orgId),
        eq(task.projectId, params.projectId),
        eq(task.stateId, params.stateId),
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

export async function listActivity(db: Executor, { orgId, taskId }: { orgId: string; taskId: string }) {
  return db
    .select()
    .from(taskActivity)
    .where(and(eq(taskActivity.orgId, orgId), eq(taskActivity.taskId, taskId)))
    .orderBy(asc(taskActivity.createdAt), asc(taskActivity.id));
}

/** Records which GitHub `updated_at` each synced field came from, without a visible change. */
export async function setTaskSyncedAt(
  tx: Transaction,
  { orgId, id, syncedAt }: { orgId: string; id: string; syncedAt: Record<string, string> },
) {
  await tx
    .update(task)
    .set({ syncedAt })
    .where(and(eq(task.orgId, orgId), eq(task.id, id)));
}

/**
 * Locks live tasks by id in one statement, in id order (so two bulk changes that share tasks
 * queue instead of deadlocking). Ids of another org, or deleted, are simply not returned.
 */
export async function lockTasksByIds(
  tx: Transaction,
  { orgId, ids }: { orgId: string; ids: string[] },
): Promise<TaskRow[]> {
  if (ids.length === 0) return [];
  return tx
    .select()
    .from(task)
    .where(and(eq(task.orgId, orgId), inArray(task.id, ids), isNull(task.deletedAt)))
    .orderBy(asc(task.id))
    .for("no key update");
}

/** Which of these task ids still have a row (deleted or not): a project's deletion removes its tasks. */
