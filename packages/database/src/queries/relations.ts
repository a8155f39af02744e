import { aliasedTable, and, asc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import { project, task, taskRelation } from "../schema/index.ts";

export type RelationRow = typeof taskRelation.$inferSelect;
export type StoredRelationType = RelationRow["type"];

/** A relation's other end, as a card names it: key, title and status. */
export type RelatedTaskRow = { id: string; number: number; projectKey: string; title: string; status: string };
export type RelationWithTasks = { relation: RelationRow; from: RelatedTaskRow; to: RelatedTaskRow };

const fromTask = aliasedTable(task, "from_task");
const toTask = aliasedTable(task, "to_task");
const fromProject = aliasedTable(project, "from_project");
const toProject = aliasedTable(project, "to_project");

const ends = {
  relation: taskRelation,
  from: {
    id: fromTask.id,
    number: fromTask.number,
    projectKey: fromProject.key,
    title: fromTask.title,
    status: fromTask.status,
  },
  to: { id: toTask.id, number: toTask.number, projectKey: toProject.key, title: toTask.title, status: toTask.status },
};

/** Relations joined to both of their (live) tasks, filtered by `where`. */
function selectWithTasks(db: Executor) {
  return db
    .select(ends)
    .from(taskRelation)
    .innerJoin(fromTask, and(eq(fromTask.id, taskRelation.fromTaskId), isNull(fromTask.deletedAt)))
    .innerJoin(fromProject, eq(fromProject.id, fromTask.projectId))
    .innerJoin(toTask, and(eq(toTask.id, taskRelation.toTaskId), isNull(toTask.deletedAt)))
    .innerJoin(toProject, eq(toProject.id, toTask.projectId));
}

/** Every relation of a live task, from either side, oldest first. */
export async function listTaskRelations(
  db: Executor,
  { orgId, taskId }: { orgId: string; taskId: string },
): Promise<RelationWithTasks[]> {
  return selectWithTasks(db)
    .where(
      and(eq(taskRelation.orgId, orgId), or(eq(taskRelation.fromTaskId, taskId), eq(taskRelation.toTaskId, taskId))),
    )
    .orderBy(asc(taskRelation.createdAt), asc(taskRelation.id));
}

export async function getRelationWithTasks(
  db: Executor,
  { orgId, id }: { orgId: string; id: string },
): Promise<RelationWithTasks | undefined> {
  const [row] = await selectWithTasks(db).where(and(eq(taskRelation.orgId, orgId), eq(taskRelation.id, id)));
  return row;
}

/** Every `blocks` relation between live tasks of the org (of one project's blocked tasks when given). */
export async function listBlockingRelations(
  db: Executor,
  { orgId, projectId }: { orgId: string; projectId?: string | undefined },
): Promise<RelationWithTasks[]> {
  return selectWithTasks(db)
    .where(
      and(
        eq(taskRelation.orgId, orgId),
        eq(taskRelation.type, "blocks"),
        projectId ? eq(toTask.projectId, projectId) : undefined,
      ),
    )
    .orderBy(asc(taskRelation.createdAt), asc(taskRelation.id));
}

/**
 * Serialises relation writes within one org, so two concurrent inserts cannot close a cycle
 * that neither of them saw. Held until the transaction ends.
 */
export async function lockOrgRelations(tx: Transaction, { orgId }: { orgId: string }): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`task_relation:${orgId}`}))`);
}

/** A relation between the two tasks, in either direction, of any of `types`. */
export async function findRelationBetween(
  db: Executor,
  { orgId, a, b, types }: { orgId: string; a: string; b: string; types: StoredRelationType[] },
): Promise<RelationRow | undefined> {
  const [row] = await db
    .select()
    .from(taskRelation)
    .where(
      and(
        eq(taskRelation.orgId, orgId),
        or(
          and(eq(taskRelation.fromTaskId, a), eq(taskRelation.toTaskId, b)),
          and(eq(taskRelation.fromTaskId, b), eq(taskRelation.toTaskId, a)),
        ),
        sql`${taskRelation.type} in (${sql.join(
          types.map((t) => sql`${t}`),
          sql`, `,
        )})`,
      ),
    )
    .limit(1);
  return row;
}

/** Whether `from` already reaches `to` through `blocks` relations (so `to` blocks `from` would loop). */
export async function blocksPathExists(
  db: Executor,
  { orgId, from, to }: { orgId: string; from: string; to: string },
): Promise<boolean> {
  const rows = await db.execute<{ found: number }>(sql`
    with recursive reach(task_id) as (
      select ${from}::text
      union
      select r.to_task_id from task_relation r join reach on r.from_task_id = reach.task_id
      where r.org_id = ${orgId} and r.type = 'blocks'
    )
    select 1 as found from reach where task_id = ${to} limit 1`);
  return rows.length > 0;
}

export async function insertRelation(tx: Transaction, values: typeof taskRelation.$inferInsert): Promise<RelationRow> {
  const [row] = await tx.insert(taskRelation).values(values).returning();
  if (!row) throw new Error("insert task_relation returned nothing");
  return row;
}

export async function deleteRelationRow(
  tx: Transaction,
  { orgId, id }: { orgId: string; id: string },
): Promise<RelationRow | undefined> {
  const [row] = await tx
    .delete(taskRelation)
    .where(and(eq(taskRelation.orgId, orgId), eq(taskRelation.id, id)))
    .returning();
  return row;
}

/** Removes every relation of a task (it is being deleted); returns the removed rows. */
export async function deleteTaskRelationRows(
  tx: Transaction,
  { orgId, taskId }: { orgId: string; taskId: string },
): Promise<RelationRow[]> {
  return tx
    .delete(taskRelation)
    .where(
      and(eq(taskRelation.orgId, orgId), or(eq(taskRelation.fromTaskId, taskId), eq(taskRelation.toTaskId, taskId))),
    )
    .returning();
}

/**
 * An import's relations: each inserted unless the same link is already there (a resumed import
 * redoes its last batch), returned with their ends for their events.
 */
export async function insertImportedRelations(
  tx: Transaction,
  rows: (typeof taskRelation.$inferInsert)[],
): Promise<RelationWithTasks[]> {
  if (rows.length === 0) return [];
  const inserted = await tx.insert(taskRelation).values(rows).onConflictDoNothing().returning({ id: taskRelation.id });
  if (inserted.length === 0) return [];
  return selectWithTasks(tx)
    .where(
      inArray(
        taskRelation.id,
        inserted.map((row) => row.id),
      ),
    )
    .orderBy(asc(taskRelation.id));
}
