import { type TPublicEventMessage, type TPublicTask, type TTask, taskFieldDefaults } from "@tandem/contracts";
import { type QueryClient, useQuery } from "@tanstack/react-query";
import { type Api, ApiFailure, unwrap } from "./api.ts";
import { useServices } from "./app-context.tsx";
import { keys } from "./queries.ts";

/** Pages a board will follow at most (100 cards each). */
const MAX_PAGES = 100;

/** A read that answers null for a 404: a board that is not public looks like a missing one. */
async function orNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 404) return null;
    throw error;
  }
}

/**
 * A public project's board (the org, the project, its states and the names its fields need),
 * or without `projectKey` the org's first public project's; null when there is none.
 */
export function usePublicBoard(slug: string, projectKey: string | undefined) {
  const { api } = useServices();
  return useQuery({
    queryKey: keys.publicBoard(slug, projectKey),
    queryFn: () =>
      orNull(() =>
        projectKey
          ? unwrap(api.api.public.orgs[":slug"].projects[":projectKey"].$get({ param: { slug, projectKey } }))
          : unwrap(api.api.public.orgs[":slug"].$get({ param: { slug } })),
      ),
  });
}

/** The org's public projects, in position order; null when the org has no public boards. */
export function usePublicProjects(slug: string) {
  const { api } = useServices();
  return useQuery({
    queryKey: keys.publicProjects(slug),
    queryFn: () => orNull(() => unwrap(api.api.public.orgs[":slug"].projects.$get({ param: { slug } }))),
  });
}

async function fetchPublicTasks(api: Api, slug: string, projectKey: string): Promise<TPublicTask[]> {
  const tasks: TPublicTask[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = await unwrap(
      api.api.public.orgs[":slug"].projects[":projectKey"].tasks.$get({
        param: { slug, projectKey },
        query: cursor ? { cursor } : {},
      }),
    );
    tasks.push(...body.tasks);
    if (!body.nextCursor) break;
    cursor = body.nextCursor;
  }
  return tasks;
}

/** Every public card of a project's board, page after page (each page ≤ 100 cards, ≤ 1 MB). */
export function usePublicTasks(slug: string, projectKey: string | undefined) {
  const { api } = useServices();
  return useQuery({
    queryKey: keys.publicTasks(slug, projectKey),
    queryFn: () => fetchPublicTasks(api, slug, projectKey ?? ""),
    enabled: Boolean(projectKey),
  });
}

/** Public cards carry only the project's public fields; the board needs defaults for the rest. */
export function asBoardTask(task: TPublicTask, orgId: string): TTask {
  return {
    orgId,
    projectId: "",
    stateId: task.status ?? "todo",
    ...taskFieldDefaults(),
    visibility: "public",
    createdBy: null,
    updatedBy: null,
    createdAt: "",
    updatedAt: "",
    ...task,
  };
}

/** What a public event applies to: the board's address and its project. */
export type PublicBoardRef = { slug: string; projectKey: string; projectId: string };

/**
 * Applies a public-channel event to one project's cached board. The channel carries every
 * public project of the org: a task of another project is dropped (it may have moved away).
 * UPDATE_TASK is an upsert there.
 */
export function applyPublicEvent(
  queryClient: QueryClient,
  board: PublicBoardRef,
  message: TPublicEventMessage,
  knownPeople: Set<string>,
) {
  const tasksKey = keys.publicTasks(board.slug, board.projectKey);
  const boards = { queryKey: ["public-board", board.slug] };
  switch (message.type) {
    case "CREATE_TASK":
    case "UPDATE_TASK": {
      const { task } = message.data;
      const here = task.projectId === board.projectId;
      queryClient.setQueryData<TPublicTask[]>(tasksKey, (list = []) => [
        ...list.filter((t) => t.id !== task.id),
        ...(here ? [task] : []),
      ]);
      // Someone newly assigned: fetch the names again.
      if (here && task.assigneeIds?.some((id) => !knownPeople.has(id))) {
        queryClient.invalidateQueries(boards);
      }
      return;
    }
    case "DELETE_TASK": {
      const { id } = message.data.task;
      queryClient.setQueryData<TPublicTask[]>(tasksKey, (list = []) => list.filter((t) => t.id !== id));
      return;
    }
    case "CREATE_LABEL":
    case "UPDATE_LABEL":
    case "DELETE_LABEL":
    case "CREATE_CATEGORY":
    case "UPDATE_CATEGORY":
    case "DELETE_CATEGORY":
      queryClient.invalidateQueries(boards);
      return;
    case "UPDATE_ORG":
    case "DELETE_ORG":
      queryClient.invalidateQueries(boards);
      queryClient.invalidateQueries({ queryKey: keys.publicProjects(board.slug) });
      queryClient.invalidateQueries({ queryKey: tasksKey });
      return;
    default:
      message satisfies never;
  }
}
