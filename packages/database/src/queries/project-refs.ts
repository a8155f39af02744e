import { and, asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "../client.ts";
import { project, task } from "../schema/index.ts";

/** The org's live projects with a public board, in position order (the first is the old `/p/:slug` board). */
export async function listPublicProjects(db: Executor, { orgId }: { orgId: string }) {
  return db
    .select()
    .from(project)
    .where(and(eq(project.orgId, orgId), eq(project.publicBoard, true), eq(project.archived, false)))
    .orderBy(asc(project.position), asc(project.createdAt), asc(project.id));
}

/** The project of each of these tasks of the org (deleted ones too), by task id. */
export async function projectsOfTasks(
  db: Executor,
  { orgId, ids }: { orgId: string; ids: string[] },
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: task.id, projectId: task.projectId })
    .from(task)
    .where(and(eq(task.orgId, orgId), inArray(task.id, ids)));
  return new Map(rows.map((row) => [row.id, row.projectId]));
}
