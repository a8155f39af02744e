import type { TTask, TTaskPage } from "@tandem/contracts";
import { type QueryClient, queryOptions } from "@tanstack/react-query";
import { type Api, ApiFailure, unwrap } from "./api.ts";

// The queries a page needs first, as options shared by the hooks and the route loaders (which
// start them before the page's code has loaded). Nothing here may pull in UI code: the
// loaders are part of the entry chunk.

export const keys = {
  me: ["me"] as const,
  tasks: (orgId: string) => ["tasks", orgId] as const,
  labels: (orgId: string) => ["labels", orgId] as const,
  categories: (orgId: string) => ["categories", orgId] as const,
  members: (orgId: string) => ["members", orgId] as const,
  teams: (orgId: string) => ["teams", orgId] as const,
  invites: (orgId: string) => ["invites", orgId] as const,
  comments: (orgId: string, taskId: string) => ["comments", orgId, taskId] as const,
  attachments: (orgId: string, taskId: string) => ["attachments", orgId, taskId] as const,
  activity: (orgId: string, taskId: string) => ["activity", orgId, taskId] as const,
  publicOrg: (slug: string) => ["public-org", slug] as const,
  publicTasks: (slug: string) => ["public-tasks", slug] as const,
  publicTask: (slug: string, key: string) => ["public-task", slug, key] as const,
};

export const meQuery = (api: Api) =>
  queryOptions({
    queryKey: keys.me,
    queryFn: async () => {
      try {
        return await unwrap(api.api.me.$get());
      } catch (error) {
        if (error instanceof ApiFailure && error.status === 401) return null;
        throw error;
      }
    },
  });

const PAGE = 1000;

/** The whole board: every page, in board order (status, then rank). */
async function fetchBoard(api: Api, orgId: string): Promise<TTask[]> {
  const tasks: TTask[] = [];
  let cursor: string | undefined;
  do {
    const page: TTaskPage = await unwrap(
      api.api.orgs[":orgId"].tasks.$get({
        param: { orgId },
        query: { limit: String(PAGE), ...(cursor ? { cursor } : {}) },
      }),
    );
    tasks.push(...page.tasks);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return tasks;
}

export const boardQuery = (api: Api, orgId: string) =>
  queryOptions({ queryKey: keys.tasks(orgId), queryFn: () => fetchBoard(api, orgId) });

export const labelsQuery = (api: Api, orgId: string) =>
  queryOptions({
    queryKey: keys.labels(orgId),
    queryFn: () => unwrap(api.api.orgs[":orgId"].labels.$get({ param: { orgId } })),
  });

export const membersQuery = (api: Api, orgId: string) =>
  queryOptions({
    queryKey: keys.members(orgId),
    queryFn: () => unwrap(api.api.orgs[":orgId"].members.$get({ param: { orgId } })),
  });

/**
 * Starts what an org's board shows, as soon as the route matches: the user (for the org's id)
 * and then the board, its labels and members at once. The components read the same queries.
 */
export async function prefetchBoard(queryClient: QueryClient, api: Api, slug: string): Promise<void> {
  const me = await queryClient.ensureQueryData(meQuery(api)).catch(() => null);
  const org = me?.orgs.find((o) => o.slug === slug);
  if (!org) return;
  await Promise.all([
    queryClient.prefetchQuery(boardQuery(api, org.id)),
    queryClient.prefetchQuery(labelsQuery(api, org.id)),
    queryClient.prefetchQuery(membersQuery(api, org.id)),
  ]);
}
