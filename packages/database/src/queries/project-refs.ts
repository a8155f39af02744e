import { and, asc, eq, or } from "drizzle-orm";
import type { Executor } from "../client.ts";
import { project, workflowState } from "../schema/index.ts";

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
