import { type TPublicEventMessage, type TPublicTask, type TTask, taskFieldDefaults } from "@tandem/contracts";
import { type QueryClient, useQuery } from "@tanstack/react-query";
import { type Api, ApiFailure, unwrap } from "./api.ts";
import { useServices } from "./app-context.tsx";
import { keys } from "./queries.ts";

/** Pages a board will follow at most (100 cards each). */
const MAX_PAGES = 100;

/** The public org with the names its public fields need; null when there is no public board. */
export function usePublicOrg(slug: string) {
  const { api } = useServices();
  return useQuery({
    queryKey: keys.publicOrg(slug),
    queryFn: async () => {
      try {
        return await unwrap(api.api.public.orgs[":slug"].$get({ param: { slug } }));
      } catch (error) {
        if (error instanceof ApiFailure && error.status === 404) return null;
        throw error;
      }
    },
  });
}

async function fetchPublicTasks(api: Api, slug: string): Promise<TPublicTask[]> {
  const tasks: TPublicTask[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = await unwrap(
      api.api.public.orgs[":slug"].tasks.$get({ param: { slug }, query: cursor ? { cursor } : {} }),
    );
    tasks.push(...body.tasks);
    if (!body.nextCursor) break;
    cursor = body.nextCursor;
  }
  return tasks;
}

/** Every public card of the board, page after page (each page ≤ 100 cards, ≤ 1 MB). */
export function usePublicTasks(slug: string, enabled: boolean) {
  const { api } = useServices();
  return useQuery({ queryKey: keys.publicTasks(slug), queryFn: () => fetchPublicTasks(api, slug), enabled });
}

/** Public cards carry only the org's public fields; the board needs defaults for the rest. */
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

/** Applies a public-channel event to the cached board (UPDATE_TASK is an upsert there). */
export function applyPublicEvent(
  queryClient: QueryClient,
  slug: string,
  message: TPublicEventMessage,
  knownPeople: Set<string>,
) {
  switch (message.type) {
    case "CREATE_TASK":
    case "UPDATE_TASK": {
      const { task } = message.data;
      queryClient.setQueryData<TPublicTask[]>(keys.publicTasks(slug), (list = []) => [
        ...list.filter((t) => t.id !== task.id),
        task,
      ]);
      // Someone newly assigned: fetch the names again.
      if (task.assigneeIds?.some((id) => !knownPeople.has(id))) {
        queryClient.invalidateQueries({ queryKey: keys.publicOrg(slug) });
      }
      return;
    }
    case "DELETE_TASK": {
      const { id } = message.data.task;
      queryClient.setQueryData<TPublicTask[]>(keys.publicTasks(slug), (list = []) => list.filter((t) => t.id !== id));
      return;
    }
    case "CREATE_LABEL":
    case "UPDATE_LABEL":
    case "DELETE_LABEL":
    case "CREATE_CATEGORY":
    case "UPDATE_CATEGORY":
    case "DELETE_CATEGORY":
      queryClient.invalidateQueries({ queryKey: keys.publicOrg(slug) });
      return;
    case "UPDATE_ORG":
    case "DELETE_ORG":
      queryClient.invalidateQueries({ queryKey: keys.publicOrg(slug) });
      queryClient.invalidateQueries({ queryKey: keys.publicTasks(slug) });
      return;
    default:
      message satisfies never;
  }
}
