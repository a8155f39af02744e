import type {
  TCreateProjectInput,
  TCreateStateInput,
  TProjectWithStates,
  TUpdateProjectInput,
  TUpdateStateInput,
  TWorkflowState,
} from "@tandem/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { requestJson } from "./api.ts";
import { useServices } from "./app-context.tsx";
import { keys, projectsQuery } from "./query-options.ts";

export { pickProject, rememberProject } from "./query-options.ts";

const toast = {
  error: (message: string) => void import("@tandem/ui/components/toaster").then((m) => m.toast.error(message)),
};

/** The org's projects with their states, both ordered by position. */
export function useProjects(orgId: string) {
  const { apiUrl } = useServices();
  return useQuery(projectsQuery(apiUrl, orgId));
}

/** Project and state writes (admin.manageProjects): each refreshes the projects and the board. */
export function useProjectMutations(orgId: string) {
  const { apiUrl } = useServices();
  const queryClient = useQueryClient();
  const base = `/api/orgs/${orgId}/projects`;
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: keys.projects(orgId) });
  };
  const options = { onSuccess: refresh, onError: (error: Error) => toast.error(error.message) };
  const createProject = useMutation({
    mutationFn: (input: TCreateProjectInput) => requestJson<TProjectWithStates>(apiUrl, "POST", base, input),
    ...options,
  });
  const updateProject = useMutation({
    mutationFn: ({ projectId, patch }: { projectId: string; patch: TUpdateProjectInput }) =>
      requestJson<TProjectWithStates>(apiUrl, "PATCH", `${base}/${projectId}`, patch),
    onSuccess: () => {
      refresh();
      // A new key renames every task's key.
      void queryClient.invalidateQueries({ queryKey: keys.tasks(orgId) });
    },
    onError: options.onError,
  });
  const createState = useMutation({
    mutationFn: ({ projectId, input }: { projectId: string; input: TCreateStateInput }) =>
      requestJson<TWorkflowState>(apiUrl, "POST", `${base}/${projectId}/states`, input),
    ...options,
  });
  const updateState = useMutation({
    mutationFn: ({ projectId, stateId, patch }: { projectId: string; stateId: string; patch: TUpdateStateInput }) =>
      requestJson<TWorkflowState>(apiUrl, "PATCH", `${base}/${projectId}/states/${stateId}`, patch),
    ...options,
  });
  const deleteState = useMutation({
    mutationFn: ({ projectId, stateId, moveTo }: { projectId: string; stateId: string; moveTo?: string }) =>
      requestJson<unknown>(
        apiUrl,
        "DELETE",
        `${base}/${projectId}/states/${stateId}${moveTo ? `?moveTo=${encodeURIComponent(moveTo)}` : ""}`,
      ),
    onSuccess: () => {
      refresh();
      void queryClient.invalidateQueries({ queryKey: keys.tasks(orgId) });
    },
    onError: options.onError,
  });
  const deleteProject = useMutation({
    mutationFn: ({ projectId }: { projectId: string }) =>
      requestJson<TProjectWithStates>(apiUrl, "DELETE", `${base}/${projectId}`),
    onSuccess: () => {
      refresh();
      // Its tasks went with it (and with them relations to tasks of other projects).
      void queryClient.invalidateQueries({ queryKey: keys.tasks(orgId) });
    },
    onError: options.onError,
  });
  return { createProject, updateProject, deleteProject, createState, updateState, deleteState };
}
