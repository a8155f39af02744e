import type { TTask } from "@tandem/contracts";
import { toast } from "@tandem/ui/components/toaster";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { ApiFailure, unwrap } from "../../lib/api.ts";
import { useServices } from "../../lib/app-context.tsx";
import { keys, upsertTask } from "../../lib/queries.ts";

export type TextField = "title" | "description";
export type SaveResult = "saved" | "conflict" | "failed";

/**
 * Saves one text field with the task's version. On 409 the server's current task goes into
 * the cache; if it changed a different field the save is retried on the new version (a
 * merge), if it changed this field since `base` the caller's draft shows the conflict and
 * nothing is overwritten.
 */
export function useSaveField(task: TTask) {
  const { api } = useServices();
  const queryClient = useQueryClient();
  const { orgId, id, projectId } = task;
  return useCallback(
    async (field: TextField, value: string, base: string): Promise<SaveResult> => {
      const cached = queryClient.getQueryData<TTask[]>(keys.projectTasks(orgId, projectId))?.find((t) => t.id === id);
      let version = cached?.version ?? task.version;
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          const saved = await unwrap(
            api.api.orgs[":orgId"].tasks[":taskId"].$patch({
              param: { orgId, taskId: id },
              json: { [field]: value, version },
            }),
          );
          upsertTask(queryClient, saved);
          queryClient.invalidateQueries({ queryKey: keys.activity(orgId, id) });
          return "saved";
        } catch (error) {
          if (!(error instanceof ApiFailure && error.status === 409 && error.current)) {
            toast.error(error instanceof Error ? error.message : "That did not work");
            return "failed";
          }
          const current = error.current;
          upsertTask(queryClient, current);
          if (current[field] !== base && current[field] !== value) return "conflict";
          version = current.version;
        }
      }
      return "failed";
    },
    [api, queryClient, orgId, id, projectId, task.version],
  );
}
