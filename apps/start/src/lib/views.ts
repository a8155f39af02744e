import type { TCreateViewInput, TSavedView, TViewFilters } from "@tandem/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { requestJson } from "./api.ts";
import { useServices } from "./app-context.tsx";
import type { BoardFilters } from "./board-model.ts";
import { keys } from "./query-options.ts";

const toast = {
  error: (message: string) => void import("@tandem/ui/components/toaster").then((m) => m.toast.error(message)),
};

/** The member's own views and the org's shared ones. */
export function useViews(orgId: string) {
  const { apiUrl } = useServices();
  return useQuery({
    queryKey: keys.views(orgId),
    queryFn: async () => {
      const answer = await requestJson<TSavedView[] | { views: TSavedView[] }>(
        apiUrl,
        "GET",
        `/api/orgs/${orgId}/views`,
      );
      return Array.isArray(answer) ? answer : answer.views;
    },
  });
}

export function useViewMutations(orgId: string) {
  const { apiUrl } = useServices();
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: keys.views(orgId) });
  const create = useMutation({
    mutationFn: (input: TCreateViewInput) => requestJson<TSavedView>(apiUrl, "POST", `/api/orgs/${orgId}/views`, input),
    onSuccess: refresh,
    onError: (error) => toast.error(error.message),
  });
  const remove = useMutation({
    mutationFn: (viewId: string) => requestJson<unknown>(apiUrl, "DELETE", `/api/orgs/${orgId}/views/${viewId}`),
    onSuccess: refresh,
    onError: (error) => toast.error(error.message),
  });
  return { create, remove };
}

/** The board's URL search as a view's filters (one value per filter in the URL: csv lists). */
export type FilterSearch = Omit<BoardFilters, "dueBefore" | "dueAfter">;

const list = (value?: string) => (value ? value.split(",").filter(Boolean) : undefined);

export function searchToFilters(search: FilterSearch): TViewFilters {
  const filters: TViewFilters = {};
  const state = list(search.state);
  const status = list(search.status) as TViewFilters["status"];
  const priority = list(search.priority) as TViewFilters["priority"];
  const label = list(search.label);
  const assignee = list(search.assignee);
  if (state) filters.state = state;
  if (status) filters.status = status;
  if (priority) filters.priority = priority;
  if (label) filters.label = label;
  if (assignee) filters.assignee = assignee;
  if (search.q) filters.q = search.q;
  return filters;
}

export function filtersToSearch(filters: TViewFilters): FilterSearch {
  const join = (values?: readonly string[]) => (values?.length ? values.join(",") : undefined);
  return {
    state: join(filters.state),
    status: join(filters.status),
    priority: join(filters.priority),
    label: join(filters.label),
    assignee: join(filters.assignee),
    q: filters.q || undefined,
  };
}
