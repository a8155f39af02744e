import { and, asc, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import { executePrepared } from "../prepared.ts";
import { project, task, workflowState } from "../schema/index.ts";

export type ProjectRow = typeof project.$inferSelect;
export type ProjectInsert = typeof project.$inferInsert;
export type StateRow = typeof workflowState.$inferSelect;
export type StateInsert = typeof workflowState.$inferInsert;
export type StateCategory = StateRow["category"];
/** A project named by its id (`prj_…`) or its key (`ENG`). */
export type ProjectRef = { id: string } | { key: string };

/** By id, or by key: the project's key, or one it had before a rename (`formerKeys`). */
function projectRefCondition(ref: ProjectRef): SQL {
  return "id" in ref
    ? eq(project.id, ref.id)
    : sql`(${project.key} = ${ref.key} or ${ref.key} = any(${project.formerKeys}))`;
}

/** A key taken by a project (made or renamed) is no longer another project's former key. */
export async function releaseFormerKey(tx: Transaction, { orgId, key }: { orgId: string; key: string }) {
  await tx
    .update(project)
    .set({ formerKeys: sql`array_remove(${project.formerKeys}, ${key})` })
    .where(and(eq(project.orgId, orgId), sql`${key} = any(${project.formerKeys})`));
}

export async function insertProject(tx: Transaction, values: ProjectInsert & { orgId: string }): Promise<ProjectRow> {
  const [row] = await tx.insert(project).values(values).returning();
  if (!row) throw new Error("insert project returned nothing");
  return row;
}

export async function insertStates(
  tx: Transaction,
  { orgId, rows }: { orgId: string; rows: Omit<StateInsert, "orgId">[] },
): Promise<StateRow[]> {
  if (rows.length === 0) return [];
  return tx
    .insert(workflowState)
    .values(rows.map((row) => ({ ...row, orgId })))
    .returning();
}

/** The org's projects in board order (position, then age). */
export async function listProjects(db: Executor, { orgId }: { orgId: string }): Promise<ProjectRow[]> {
  return db
    .select()
    .from(project)
    .where(eq(project.orgId, orgId))
    .orderBy(asc(project.position), asc(project.createdAt), asc(project.id));
}

/** Every state of the org's projects (or of the given ones), in column order. */
export async function listStates(
  db: Executor,
  { orgId, projectIds }: { orgId: string; projectIds?: string[] },
): Promise<StateRow[]> {
  return db
    .select()
    .from(workflowState)
    .where(and(eq(workflowState.orgId, orgId), projectIds ? inArray(workflowState.projectId, projectIds) : undefined))
    .orderBy(asc(workflowState.projectId), asc(workflowState.position), asc(workflowState.createdAt));
}

/** One project's states in column order: a prepared statement (every task create reads it). */
export async function listProjectStates(
  db: Executor,
  { orgId, projectId }: { orgId: string; projectId: string },
): Promise<StateRow[]> {
  return db
    .select()
    .from(workflowState)
    .where(and(eq(workflowState.orgId, orgId), eq(workflowState.projectId, projectId)))
    .orderBy(asc(workflowState.position), asc(workflowState.createdAt))
    .prepare("project_states")
    .execute();
}

export async function getProject(
  db: Executor,
  { orgId, ref }: { orgId: string; ref: ProjectRef },
): Promise<ProjectRow | undefined> {
  const [row] = await db
    .select()
    .from(project)
    .where(and(eq(project.orgId, orgId), projectRefCondition(ref)))
    .prepare("project_get")
    .execute();
  return row;
}

/** The project a task lands in when none is named: the first live one in board order. */
export async function defaultProject(db: Executor, { orgId }: { orgId: string }): Promise<ProjectRow | undefined> {
  const [row] = await db
    .select()
    .from(project)
    .where(and(eq(project.orgId, orgId), eq(project.archived, false)))
    .orderBy(asc(project.position), asc(project.createdAt), asc(project.id))
    .limit(1)
    .prepare("project_default")
    .execute();
  return row;
}

/**
 * Locks a project row for a change of its workflow, key or numbers. Taken before any event is
 * appended in the transaction (project, then the org's counter), as task creation does.
 */
export async function lockProject(
  tx: Transaction,
  { orgId, ref }: { orgId: string; ref: ProjectRef },
): Promise<ProjectRow | undefined> {
  const [row] = await tx
    .select()
    .from(project)
    .where(and(eq(project.orgId, orgId), projectRefCondition(ref)))
    .for("update");
  return row;
}

export async function updateProjectRow(
  tx: Transaction,
  { orgId, id, values }: { orgId: string; id: string; values: Partial<ProjectInsert> },
): Promise<ProjectRow | undefined> {
  const [row] = await tx
    .update(project)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(project.orgId, orgId), eq(project.id, id)))
    .returning();
  return row;
}

export async function deleteProjectRow(tx: Transaction, { orgId, id }: { orgId: string; id: string }) {
  await tx.delete(project).where(and(eq(project.orgId, orgId), eq(project.id, id)));
}

/** The project keys of the org by project id (a task's key is its project's key and number). */
export async function projectKeys(db: Executor, { orgId }: { orgId: string }): Promise<Map<string, string>> {
  const rows = await db
    .select({ id: project.id, key: project.key })
    .from(project)
    .where(eq(project.orgId, orgId))
    .prepare("project_keys")
    .execute();
  return new Map(rows.map((row) => [row.id, row.key]));
}

/** Takes `count` task numbers from the project's counter (locking its row); answers the first. */
export async function allocateProjectNumbers(
  tx: Transaction,
  { orgId, projectId, count }: { orgId: string; projectId: string; count: number },
): Promise<number> {
  const [row] = await tx
    .update(project)
    .set({ lastTaskNumber: sql`${project.lastTaskNumber} + ${count}` })
    .where(and(eq(project.orgId, orgId), eq(project.id, projectId)))
    .returning({ last: project.lastTaskNumber });
  if (!row) throw new Error(`no project ${projectId}`);
  return row.last - count + 1;
}

/** Raises the project's counter past `highest` (imports that keep their numbers). */
export async function raiseProjectNumber(
  tx: Transaction,
  { orgId, projectId, highest }: { orgId: string; projectId: string; highest: number },
) {
  await tx
    .update(project)
    .set({ lastTaskNumber: sql`greatest(${project.lastTaskNumber}, ${highest})` })
    .where(and(eq(project.orgId, orgId), eq(project.id, projectId)));
}

export async function getState(
  db: Executor,
  { orgId, id }: { orgId: string; id: string },
): Promise<StateRow | undefined> {
  const [row] = await db
    .select()
    .from(workflowState)
    .where(and(eq(workflowState.orgId, orgId), eq(workflowState.id, id)))
    .prepare("state_get")
    .execute();
  return row;
}

export async function updateStateRow(
  tx: Transaction,
  { orgId, id, values }: { orgId: string; id: string; values: Partial<StateInsert> },
): Promise<StateRow | undefined> {
  const [row] = await tx
    .update(workflowState)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(workflowState.orgId, orgId), eq(workflowState.id, id)))
    .returning();
  return row;
}

export async function deleteStateRow(tx: Transaction, { orgId, id }: { orgId: string; id: string }) {
  await tx.delete(workflowState).where(and(eq(workflowState.orgId, orgId), eq(workflowState.id, id)));
}

/** Live and deleted tasks still pointing at a state (a deleted task keeps its state too). */
export async function tasksInState(
  tx: Transaction,
  { orgId, stateId }: { orgId: string; stateId: string },
): Promise<(typeof task.$inferSelect)[]> {
  return tx
    .select()
    .from(task)
    .where(and(eq(task.orgId, orgId), eq(task.stateId, stateId)))
    .orderBy(asc(task.rank), asc(task.id))
    .for("no key update");
}

/** Live tasks of a project, locked (a project delete records one DELETE_TASK each). */
export async function liveTasksOfProject(
  tx: Transaction,
  { orgId, projectId }: { orgId: string; projectId: string },
): Promise<(typeof task.$inferSelect)[]> {
  return tx
    .select()
    .from(task)
    .where(and(eq(task.orgId, orgId), eq(task.projectId, projectId), isNull(task.deletedAt)))
    .for("no key update");
}

/** The rank of the last card in a state's column, to append after it. */
export async function lastRankInState(
  db: Executor,
  { orgId, projectId, stateId }: { orgId: string; projectId: string; stateId: string },
): Promise<string | null> {
  const rows = await executePrepared<{ rank: string }>(
    db,
    "state_last_rank",
    sql`select rank from task
         where org_id = ${orgId} and project_id = ${projectId} and state_id = ${stateId} and deleted_at is null
         order by rank desc, id desc limit 1`,
  );
  return rows[0]?.rank ?? null;
}
