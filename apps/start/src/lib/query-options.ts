import {
  TASK_STATUSES,
  type TErrorBody,
  type TProjectWithStates,
  type TTask,
  type TTaskPage,
  type TTaskStatus,
} from "@tandem/contracts";
import { type QueryClient, queryOptions } from "@tanstack/react-query";
import { type Api, ApiFailure, requestJson, unwrap } from "./api.ts";
import { type EarlyAnswer, takeFirstLoad } from "./first-load.ts";

// The queries a page needs first, as options shared by the hooks and the route loaders (which
// start them before the page's code has loaded). Nothing here may pull in UI code: the
// loaders are part of the entry chunk.

export const keys = {
  me: ["me"] as const,
  /** Every cached board of the org (a prefix: one list per project under it). */
  tasks: (orgId: string) => ["tasks", orgId] as const,
  projectTasks: (orgId: string, projectId: string) => ["tasks", orgId, projectId] as const,
  labels: (orgId: string) => ["labels", orgId] as const,
  categories: (orgId: string) => ["categories", orgId] as const,
  members: (orgId: string) => ["members", orgId] as const,
  teams: (orgId: string) => ["teams", orgId] as const,
  invites: (orgId: string) => ["invites", orgId] as const,
  apiKeys: (orgId: string) => ["api-keys", orgId] as const,
  imports: (orgId: string) => ["imports", orgId] as const,
  importJob: (orgId: string, importId: string) => ["imports", orgId, importId] as const,
  webhooks: (orgId: string) => ["webhooks", orgId] as const,
  comments: (orgId: string, taskId: string) => ["comments", orgId, taskId] as const,
  attachments: (orgId: string, taskId: string) => ["attachments", orgId, taskId] as const,
  activity: (orgId: string, taskId: string) => ["activity", orgId, taskId] as const,
  projects: (orgId: string) => ["projects", orgId] as const,
  views: (orgId: string) => ["views", orgId] as const,
  relations: (orgId: string) => ["relations", orgId] as const,
  taskRelations: (orgId: string, taskId: string) => ["relations", orgId, taskId] as const,
  taskSubscription: (orgId: string, taskId: string) => ["subscription", orgId, taskId] as const,
  publicProjects: (slug: string) => ["public-projects", slug] as const,
  /** A project's board; without a key, the org's first public project's (`/p/:slug`). */
  publicBoard: (slug: string, projectKey = "") => ["public-board", slug, projectKey] as const,
  publicTasks: (slug: string, projectKey = "") => ["public-tasks", slug, projectKey] as const,
  publicTask: (slug: string, projectKey: string, key: string) => ["public-task", slug, projectKey, key] as const,
};

/**
 * Reads the head script's answer as the typed client would, the first time; a request that
 * failed, and every later fetch (a refetch, a RESYNC), asks the API.
 */
function answered<T>(early: Promise<EarlyAnswer> | undefined, ask: () => Promise<T>): () => Promise<T> {
  let pending = early;
  return () => {
    const answer = pending;
    pending = undefined;
    if (!answer) return ask();
    return answer.then((got) => {
      if (got.ok) return got.body as T;
      const error = (got.body as Partial<TErrorBody> | null)?.error;
      throw new ApiFailure(got.status, error?.code ?? "HTTP_ERROR", error?.message ?? `Request failed (${got.status})`);
    }, ask);
  };
}

/** The signed-in user with their orgs; null when nobody is signed in. */
export const meQuery = (api: Api, early?: Promise<EarlyAnswer>) =>
  queryOptions({
    queryKey: keys.me,
    queryFn: signedOutAsNull(answered(early, () => unwrap(api.api.me.$get()))),
  });

function signedOutAsNull<T>(ask: () => Promise<T>): () => Promise<T | null> {
  return () =>
    ask().catch((error: unknown) => {
      if (error instanceof ApiFailure && error.status === 401) return null;
      throw error;
    });
}

/** Tasks per page of the board (the API's largest). */
export const BOARD_PAGE = 1000;

type PageQuery = { project: string; status?: TTaskStatus; cursor?: string };

function fetchPage(api: Api, orgId: string, { project, status, cursor }: PageQuery): Promise<TTaskPage> {
  return unwrap(
    api.api.orgs[":orgId"].tasks.$get({
      param: { orgId },
      query: { limit: String(BOARD_PAGE), project, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) },
    }),
  );
}

/** Every page from `from` on, one after another (a cursor names the page after it). */
async function fetchPages(api: Api, orgId: string, from: PageQuery): Promise<TTask[]> {
  const tasks: TTask[] = [];
  let cursor = from.cursor;
  do {
    const page = await fetchPage(api, orgId, { project: from.project, status: from.status, cursor });
    tasks.push(...page.tasks);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return tasks;
}

/**
 * A project's whole board, in board order (status, then rank). A board of one page takes one
 * request; a larger one continues the first page's last column from its cursor and reads every
 * later column at the same time, each from its start, instead of page after page.
 */
async function fetchBoard(api: Api, orgId: string, project: string, firstPage: Promise<TTaskPage>): Promise<TTask[]> {
  const first = await firstPage;
  const last = first.tasks.at(-1);
  if (!first.nextCursor || !last) return first.tasks;
  const rest = await Promise.all([
    fetchPages(api, orgId, { project, status: last.status, cursor: first.nextCursor }),
    ...TASK_STATUSES.slice(TASK_STATUSES.indexOf(last.status) + 1).map((status) =>
      fetchPages(api, orgId, { project, status }),
    ),
  ]);
  return [...first.tasks, ...rest.flat()];
}

/** One project's tasks: the board holds one project at a time (`?project=` on the API). */
export const boardQuery = (api: Api, orgId: string, projectId: string, early?: Promise<EarlyAnswer>) =>
  queryOptions({ queryKey: keys.projectTasks(orgId, projectId), queryFn: boardReader(api, orgId, projectId, early) });

function boardReader(api: Api, orgId: string, project: string, early?: Promise<EarlyAnswer>): () => Promise<TTask[]> {
  const firstPage = answered(early, () => fetchPage(api, orgId, { project }));
  return () => fetchBoard(api, orgId, project, firstPage());
}

export const labelsQuery = (api: Api, orgId: string, early?: Promise<EarlyAnswer>) =>
  queryOptions({
    queryKey: keys.labels(orgId),
    queryFn: answered(early, () => unwrap(api.api.orgs[":orgId"].labels.$get({ param: { orgId } }))),
  });

export const membersQuery = (api: Api, orgId: string, early?: Promise<EarlyAnswer>) =>
  queryOptions({
    queryKey: keys.members(orgId),
    queryFn: answered(early, () => unwrap(api.api.orgs[":orgId"].members.$get({ param: { orgId } }))),
  });

const byPosition = <T extends { position: number }>(a: T, b: T) => a.position - b.position;

/** The org's projects with their states, both ordered by position. */
export const projectsQuery = (apiUrl: string, orgId: string, early?: Promise<EarlyAnswer>) => {
  const read = answered(early, () => requestJson<TProjectWithStates[]>(apiUrl, "GET", `/api/orgs/${orgId}/projects`));
  return queryOptions({
    queryKey: keys.projects(orgId),
    queryFn: async () => {
      const projects = await read();
      return projects.map((project) => ({ ...project, states: [...project.states].sort(byPosition) })).sort(byPosition);
    },
  });
};

const LAST_PROJECT = (orgId: string) => `tandem-last-project:${orgId}`;

export function rememberProject(orgId: string, key: string) {
  try {
    localStorage.setItem(LAST_PROJECT(orgId), key);
  } catch {
    // Private mode: the first project opens next time.
  }
}

/**
 * The project a board route shows: the one named by the URL (`/o/:slug/:projectKey`, or the
 * key of a `?task=` link), else the last one used in this browser, else the first.
 */
export function pickProject(
  orgId: string,
  projects: TProjectWithStates[],
  wanted?: { projectKey?: string; taskKey?: string },
): TProjectWithStates | undefined {
  if (wanted?.projectKey) {
    const key = wanted.projectKey.toUpperCase();
    return projects.find((p) => p.key === key || p.id === wanted.projectKey);
  }
  const fromTask = wanted?.taskKey?.toUpperCase().split("-")[0];
  let last: string | null = null;
  try {
    last = localStorage.getItem(LAST_PROJECT(orgId));
  } catch {
    last = null;
  }
  const open = projects.filter((p) => !p.archived);
  return projects.find((p) => p.key === fromTask) ?? open.find((p) => p.key === last) ?? open[0] ?? projects[0];
}

/**
 * Starts what an org's board shows, as soon as the route matches: the user (for the org's id),
 * its projects, and then the project's board, its labels and members at once. The components
 * read the same queries. On a board opened directly, the page's head script has asked for all
 * of it already.
 */
export async function prefetchBoard(
  queryClient: QueryClient,
  api: Api,
  slug: string,
  apiUrl: string,
  wanted?: { projectKey?: string; taskKey?: string },
): Promise<void> {
  const early = takeFirstLoad(slug);
  const me = await queryClient.ensureQueryData(meQuery(api, early?.me)).catch(() => null);
  const org = me?.orgs.find((o) => o.slug === slug);
  if (!org) return;
  const pending = (await early?.org) ?? undefined;
  const projects = queryClient.ensureQueryData(projectsQuery(apiUrl, org.id, pending?.projects)).catch(() => null);
  const board = projects.then(async (list) => {
    const project = list ? pickProject(org.id, list, wanted) : undefined;
    if (!project) return;
    // The head script asked for the tasks of the project it guessed: used if it guessed right.
    const guessed = await pending?.projectKey;
    const tasks = guessed === project.key ? pending?.tasks : undefined;
    await queryClient.prefetchQuery(boardQuery(api, org.id, project.id, tasks));
  });
  await Promise.all([
    board,
    queryClient.prefetchQuery(labelsQuery(api, org.id, pending?.labels)),
    queryClient.prefetchQuery(membersQuery(api, org.id, pending?.members)),
  ]);
}
