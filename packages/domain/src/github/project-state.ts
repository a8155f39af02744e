import { STATUS_CATEGORY, type TTaskStatus } from "@tandem/contracts";
import { firstOrgProject, firstStateOfCategory, type RepoLinkRow } from "@tandem/database";
import type { TxCtx } from "../context.ts";
import { invalid } from "../errors.ts";

/** The project a repo's issues land in: the link's, or the org's first for links made before projects. */
export async function repoProjectId(ctx: TxCtx, repo: RepoLinkRow): Promise<string> {
  if (repo.projectId) return repo.projectId;
  const first = await firstOrgProject(ctx.tx, { orgId: ctx.org.id });
  if (!first) throw invalid("projectId", "The organization has no project for GitHub issues");
  return first.id;
}

/**
 * The state an issue's status maps to in a project: its first state of that category (an open
 * issue: the first `unstarted`; closed: the first `completed`; closed as not planned: the first
 * `canceled`). A project always has `unstarted` and `completed` states; one without a `canceled`
 * or `backlog` state falls back to `completed` and `unstarted`.
 */
export async function stateForStatus(ctx: TxCtx, projectId: string, status: TTaskStatus) {
  const category = STATUS_CATEGORY[status];
  const fallback = category === "canceled" ? "completed" : category === "backlog" ? "unstarted" : null;
  const state =
    (await firstStateOfCategory(ctx.tx, { projectId, category })) ??
    (fallback ? await firstStateOfCategory(ctx.tx, { projectId, category: fallback }) : undefined);
  if (!state) throw invalid("stateId", `The project has no ${category} state`);
  return state;
}
