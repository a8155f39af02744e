import type { TTask } from "@tandem/contracts";
import { type QueryClient, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiFailure, unwrap } from "./api.ts";
import { useServices } from "./app-context.tsx";
import { boardQuery, keys, labelsQuery, membersQuery, meQuery } from "./query-options.ts";

// sonner is not part of the board's first JavaScript: it loads with the root's lazy Toaster,
// beside the page's code, and a toast waits for it.
const toast = {
  error: (message: string) => void import("@tandem/ui/components/toaster").then((m) => m.toast.error(message)),
  warning: (message: string) => void import("@tandem/ui/components/toaster").then((m) => m.toast.warning(message)),
};

export { keys };

export function useMe() {
  const { api } = useServices();
  return useQuery(meQuery(api));
}

/** A project's board (its live tasks). */
export function useBoard(orgId: string, projectId: string) {
  const { api } = useServices();
  return useQuery(boardQuery(api, orgId, projectId));
}

export function useLabels(orgId: string) {
  const { api } = useServices();
  return useQuery(labelsQuery(api, orgId));
}

export function useCategories(orgId: string) {
  const { api } = useServices();
  return useQuery({
    queryKey: keys.categories(orgId),
    queryFn: () => unwrap(api.api.orgs[":orgId"].categories.$get({ param: { orgId } })),
  });
}

export function useMembers(orgId: string) {
  const { api } = useServices();
  return useQuery(membersQuery(api, orgId));
}

export function useTeams(orgId: string) {
  const { api } = useServices();
  return useQuery({
    queryKey: keys.teams(orgId),
    queryFn: () => unwrap(api.api.orgs[":orgId"].teams.$get({ param: { orgId } })),
  });
}

type Lists = [readonly unknown[], TTask[] | undefined][];
/** Every cached project board of the org, with its query key (`["tasks", orgId, projectId]`). */
const boards = (queryClient: QueryClient, orgId: string): Lists =>
  queryClient.getQueriesData<TTask[]>({ queryKey: keys.tasks(orgId) });

/**
 * Upserts a task into its project's cached board unless that holds a newer version, and takes
 * it out of any other project's (it moved).
 */
export function upsertTask(queryClient: QueryClient, task: TTask) {
  for (const [key, tasks] of boards(queryClient, task.orgId)) {
    if (!tasks) continue;
    const index = tasks.findIndex((t) => t.id === task.id);
    if (key[2] !== task.projectId) {
      if (index !== -1)
        queryClient.setQueryData(
          key,
          tasks.filter((t) => t.id !== task.id),
        );
      continue;
    }
    if (index === -1) {
      queryClient.setQueryData(key, [...tasks, task]);
      continue;
    }
    const existing = tasks[index];
    if (existing && existing.version > task.version) continue;
    const next = tasks.slice();
    next[index] = task;
    queryClient.setQueryData(key, next);
  }
}

export function removeTask(queryClient: QueryClient, orgId: string, taskId: string) {
  for (const [key, tasks] of boards(queryClient, orgId)) {
    if (tasks?.some((t) => t.id === taskId))
      queryClient.setQueryData(
        key,
        tasks.filter((t) => t.id !== taskId),
      );
  }
}

type Snapshot = { previous: Lists };

/**
 * Optimistic task mutations: apply locally at once, send, then take the server's task; on
 * failure restore the previous board and say why. A 409 shows the current version instead.
 */
function useTaskMutation<Vars>(
  orgId: string,
  run: (vars: Vars) => Promise<TTask>,
  optimistic: (tasks: TTask[], vars: Vars) => TTask[],
  settle: (queryClient: QueryClient, task: TTask) => void = upsertTask,
) {
  const queryClient = useQueryClient();
  return useMutation<TTask, Error, Vars, Snapshot>({
    mutationFn: run,
    onMutate: async (vars) => {
      await queryClient.cancelQueries({ queryKey: keys.tasks(orgId) });
      const previous = boards(queryClient, orgId);
      for (const [key, tasks] of previous) if (tasks) queryClient.setQueryData(key, optimistic(tasks, vars));
      return { previous };
    },
    onError: (error, _vars, snapshot) => {
      for (const [key, tasks] of snapshot?.previous ?? []) queryClient.setQueryData(key, tasks);
      if (error instanceof ApiFailure && error.status === 409 && error.current) {
        upsertTask(queryClient, error.current);
        toast.warning("Someone else changed this task — showing their version.");
        return;
      }
      toast.error(error.message || "That did not work");
    },
    onSuccess: (task) => {
      settle(queryClient, task);
      // The hub does not echo a tab's own changes: refresh the task's history here.
      queryClient.invalidateQueries({ queryKey: keys.activity(orgId, task.id) });
    },
  });
}

export function useTaskMutations(orgId: string) {
  const { api } = useServices();
  const tasks = api.api.orgs[":orgId"].tasks;
  const replace = (list: TTask[], id: string, patch: Partial<TTask>) =>
    list.map((t) => (t.id === id ? { ...t, ...patch } : t));

  const update = useTaskMutation(
    orgId,
    ({ task, patch }: { task: TTask; patch: Record<string, unknown> }) =>
      unwrap(tasks[":taskId"].$patch({ param: { orgId, taskId: task.id }, json: { ...patch, version: task.version } })),
    (list, { task, patch }) => replace(list, task.id, patch as Partial<TTask>),
  );
  const move = useTaskMutation(
    orgId,
    ({
      task,
      stateId,
      afterId,
      beforeId,
    }: {
      task: TTask;
      stateId: string;
      status?: TTask["status"];
      afterId?: string;
      beforeId?: string;
      rank: string;
    }) =>
      unwrap(tasks[":taskId"].move.$post({ param: { orgId, taskId: task.id }, json: { stateId, afterId, beforeId } })),
    (list, { task, stateId, status, rank }) => replace(list, task.id, { stateId, rank, ...(status ? { status } : {}) }),
  );
  const remove = useTaskMutation(
    orgId,
    ({ task }: { task: TTask }) => unwrap(tasks[":taskId"].$delete({ param: { orgId, taskId: task.id } })),
    (list, { task }) => list.filter((t) => t.id !== task.id),
    // The response is the deleted task: it must not go back into the board.
    (client, task) => removeTask(client, orgId, task.id),
  );
  const assign = useTaskMutation(
    orgId,
    ({ task, userIds }: { task: TTask; userIds: string[] }) =>
      unwrap(tasks[":taskId"].assignees.$put({ param: { orgId, taskId: task.id }, json: { userIds } })),
    (list, { task, userIds }) => replace(list, task.id, { assigneeIds: userIds }),
  );
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (input: {
      title: string;
      projectId?: string;
      stateId?: string;
      dueDate?: string | null;
      status?: TTask["status"];
      priority?: TTask["priority"];
      description?: string;
      visibility?: TTask["visibility"];
      parentId?: string;
    }) => unwrap(tasks.$post({ param: { orgId }, json: input })),
    onSuccess: (task) => upsertTask(queryClient, task),
    onError: (error) => toast.error(error.message),
  });
  return { update, move, remove, assign, create };
}
