import type { TPublicProject, TPublicProjectList, TWorkflowState } from "@tandem/contracts";
import {
  type Executor,
  listProjectStates,
  listPublicProjects,
  type OrgRow,
  type ProjectRefRow,
} from "@tandem/database";
import { traced } from "@tandem/opentelemetry";
import type { PublicCtx } from "./context.ts";
import { toPublicOrgDto } from "./mappers.ts";

export function toPublicProjectDto(row: ProjectRefRow): TPublicProject {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    color: row.color,
    icon: row.icon,
    publicFields: row.publicFields,
    position: row.position,
  };
}

/** A public project's workflow: its board's columns. */
export async function loadPublicStates(db: Executor, project: ProjectRefRow): Promise<TWorkflowState[]> {
  const rows = await listProjectStates(db, { projectId: project.id });
  return rows.map(({ id, projectId, name, color, category, position }) => ({
    id,
    projectId,
    name,
    color,
    category,
    position,
  }));
}

/** `/p/:orgSlug`: the public projects of an org that allows public boards (see `loadPublicOrg`). */
export function listPublicProjectsOf({
  ctx,
  input: { org },
}: {
  ctx: PublicCtx;
  input: { org: OrgRow };
}): Promise<TPublicProjectList> {
  return traced("public.projects", async () => {
    const projects = await listPublicProjects(ctx.db, { orgId: org.id });
    return { org: toPublicOrgDto(org), projects: projects.map(toPublicProjectDto) };
  });
}
