import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "../client.ts";
import { project } from "../schema/index.ts";

/** The org's live projects with a public board, in position order (the first is the old `/p/:slug` board). */
export async function listPublicProjects(db: Executor, { orgId }: { orgId: string }) {
  return db
    .select()
    .from(project)
    .where(and(eq(project.orgId, orgId), eq(project.publicBoard, true), eq(project.archived, false)))
    .orderBy(asc(project.position), asc(project.createdAt), asc(project.id));
}
