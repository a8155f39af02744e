import { and, asc, eq, isNull, or } from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import { project, task, workflowState } from "../schema/index.ts";

export type ProjectRefRow = typeof project.$inferSelect;
export type WorkflowStateRefRow = typeof workflowState.$inferSelect;

/** The org's project named by its id or its key (`ENG`), or undefined. */
export async function findOrgProject(
  db: Executor,
  { orgId, ref }: { orgId: string; ref: string },
): Promise<ProjectRefRow | undefined> {
  const [row] = await db
    .select()
    .from(project)
    .where(and(eq(project.orgId, orgId), or(eq(project.id, ref), eq(project.key, ref.toUpperCase()))))
    .limit(1);
  return row;
}

/** The org's first project by position: where things land when no project is named. */
export async function firstOrgProject(db: Executor, { orgId }: { orgId: string }) {
  const [row] = await db
    .select()
    .from(project)
    .where(eq(project.orgId, orgId))
    .orderBy(asc(project.position), asc(project.createdAt), asc(project.id))
    .limit(1);
  return row;
}

/** The org's projects with a public board, in position order. */
export async function listPublicProjects(db: Executor, { orgId }: { orgId: string }) {
  return db
    .select()
    .from(project)
    .where(and(eq(project.orgId, orgId), eq(project.publicBoard, true), eq(project.archived, false)))
    .orderBy(asc(project.position), asc(project.createdAt), asc(project.id));
}

/** A project's workflow in column order. */
export async function listProjectStates(db: Executor, { projectId }: { projectId: string }) {
  return db
    .select()
    .from(workflowState)
    .where(eq(workflowState.projectId, projectId))
    .orderBy(asc(workflowState.position), asc(workflowState.createdAt), asc(workflowState.id));
}

/** A live task of a project by its number (the public board's task route). */
export async function getProjectTaskByNumber(
  db: Executor,
  { orgId, projectId, number }: { orgId: string; projectId: string; number: number },
) {
  const [row] = await db
    .select()
    .from(task)
    .where(and(eq(task.orgId, orgId), eq(task.projectId, projectId), eq(task.number, number), isNull(task.deletedAt)))
    .limit(1);
  return row;
}

/** Sets a project's public board settings (the legacy org-level switch addresses the first project). */
export async function setProjectPublicSettings(
  tx: Transaction,
  { orgId, id, values }: { orgId: string; id: string; values: { publicBoard?: boolean; publicFields?: string[] } },
): Promise<ProjectRefRow | undefined> {
  const [row] = await tx
    .update(project)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(project.orgId, orgId), eq(project.id, id)))
    .returning();
  return row;
}

/** A project's first state (by position) of a category: where a synced issue lands. */
export async function firstStateOfCategory(
  db: Executor,
  { projectId, category }: { projectId: string; category: WorkflowStateRefRow["category"] },
): Promise<WorkflowStateRefRow | undefined> {
  const [row] = await db
    .select()
    .from(workflowState)
    .where(and(eq(workflowState.projectId, projectId), eq(workflowState.category, category)))
    .orderBy(asc(workflowState.position), asc(workflowState.createdAt), asc(workflowState.id))
    .limit(1);
  return row;
}
