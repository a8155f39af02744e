import { findOrgProject } from "@tandem/database";
import { type Ctx, executor, type TxCtx } from "../context.ts";
import { notFound } from "../errors.ts";

/** The key of one of the org's projects (task keys start with it). */
export async function projectKeyOf(ctx: Ctx | TxCtx, projectId: string): Promise<string> {
  const project = await findOrgProject(executor(ctx), { orgId: ctx.org.id, ref: projectId });
  if (!project) throw notFound("Project");
  return project.key;
}
