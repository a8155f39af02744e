import type { TPublicProject, TPublicProjectList, TWorkflowState } from "@tandem/contracts";
import { type Executor, listPublicProjects, listStates, type OrgRow, type ProjectRow } from "@tandem/database";
import { traced } from "@tandem/opentelemetry";
import type { PublicCtx } from "./context.ts";
import { toPublicOrgDto } from "./mappers.ts";
import { toStateDto } from "./projects/mappers.ts";

export function toPublicProjectDto(row: ProjectRow): TPublicProject {
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
export async function loadPublicStates(db: Executor, project: ProjectRow): Promise<TWorkflowState[]> {
  return (await listStates(db, { orgId: project.orgId, projectIds: [project.id] })).map(toStateDto);
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
