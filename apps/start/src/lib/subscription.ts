import type { TSubscription } from "@tandem/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { requestJson } from "./api.ts";
import { useServices } from "./app-context.tsx";
import { keys } from "./query-options.ts";

const toast = {
  error: (message: string) => void import("@tandem/ui/components/toaster").then((m) => m.toast.error(message)),
};

/** Whether you watch a task (its creator and assignees do until they unwatch), and the switch. */
export function useTaskSubscription(orgId: string, taskId: string) {
  const { apiUrl } = useServices();
  const queryClient = useQueryClient();
  const key = keys.taskSubscription(orgId, taskId);
  const path = `/api/orgs/${orgId}/tasks/${taskId}/subscription`;
  const query = useQuery({ queryKey: key, queryFn: () => requestJson<TSubscription>(apiUrl, "GET", path) });
  const toggle = useMutation({
    mutationFn: (watching: boolean) => requestJson<TSubscription>(apiUrl, watching ? "PUT" : "DELETE", path),
    onSuccess: (answer) => queryClient.setQueryData(key, answer),
    onError: (error) => toast.error(error.message),
  });
  const { refetch } = query;
  const refresh = useCallback(() => void refetch(), [refetch]);
  return { watching: query.data?.watching, toggle, refresh };
}
