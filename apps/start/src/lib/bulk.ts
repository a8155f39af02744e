import type { TTask } from "@tandem/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { requestJson } from "./api.ts";
import { useServices } from "./app-context.tsx";
import { keys, upsertTask } from "./queries.ts";

export type BulkPatch = {
  stateId?: string;
  priority?: TTask["priority"];
  assigneeIds?: string[];
  dueDate?: string | null;
};

const toast = {
  error: (message: string) => void import("@tandem/ui/components/toaster").then((m) => m.toast.error(message)),
};

/** `POST /tasks/bulk`: one patch for the selected tasks, all or nothing; the board takes the answer. */
export function useBulkUpdate(orgId: string) {
  const { apiUrl } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { taskIds: string[]; patch: BulkPatch }) =>
      requestJson<{ tasks: TTask[] } | TTask[]>(apiUrl, "POST", `/api/orgs/${orgId}/tasks/bulk`, input),
    onSuccess: (answer) => {
      const tasks = Array.isArray(answer) ? answer : answer.tasks;
      for (const task of tasks) upsertTask(queryClient, task);
    },
    onError: (error) => {
      toast.error(error.message);
      void queryClient.invalidateQueries({ queryKey: keys.tasks(orgId) });
    },
  });
}
