import type { TBlockingPairs, TCreateRelationInput, TTask, TTaskRelation } from "@tandem/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { requestJson } from "./api.ts";
import { useServices } from "./app-context.tsx";
import { useBoard } from "./queries.ts";
import { keys } from "./query-options.ts";

const toast = {
  error: (message: string) => void import("@tandem/ui/components/toaster").then((m) => m.toast.error(message)),
};

const listOf = <T>(answer: T[] | { relations: T[] }): T[] => (Array.isArray(answer) ? answer : answer.relations);
const finished = (status: TTask["status"] | undefined) => status === "done" || status === "canceled";

/** A task's relations, read from that task. */
export function useTaskRelations(orgId: string, taskId: string) {
  const { apiUrl } = useServices();
  return useQuery({
    queryKey: keys.taskRelations(orgId, taskId),
    queryFn: async () =>
      listOf(
        await requestJson<TTaskRelation[] | { relations: TTaskRelation[] }>(
          apiUrl,
          "GET",
          `/api/orgs/${orgId}/tasks/${taskId}/relations`,
        ),
      ),
  });
}

export function useRelationMutations(orgId: string, taskId: string) {
  const { apiUrl } = useServices();
  const queryClient = useQueryClient();
  // Both tasks' lists and the board's blocked markers change.
  const refresh = () => void queryClient.invalidateQueries({ queryKey: keys.relations(orgId) });
  const add = useMutation({
    mutationFn: (input: TCreateRelationInput) =>
      requestJson<TTaskRelation>(apiUrl, "POST", `/api/orgs/${orgId}/tasks/${taskId}/relations`, input),
    onSuccess: refresh,
    onError: (error) => toast.error(error.message),
  });
  const remove = useMutation({
    mutationFn: (relationId: string) =>
      requestJson<unknown>(apiUrl, "DELETE", `/api/orgs/${orgId}/tasks/${taskId}/relations/${relationId}`),
    onSuccess: refresh,
    onError: (error) => toast.error(error.message),
  });
  return { add, remove };
}

/**
 * For each task of the project with an unfinished blocker, the blockers' keys ("Blocked by
 * ENG-3"). The blockers' status and key are read from the live board when it has them, so a
 * blocker moved to Done clears the marker at once.
 */
export function useBlockedBy(orgId: string, projectId: string): ReadonlyMap<string, string[]> {
  const { apiUrl } = useServices();
  const board = useBoard(orgId, projectId);
  const pairs = useQuery({
    queryKey: [...keys.relations(orgId), "blocking", projectId],
    queryFn: async () =>
      (
        await requestJson<TBlockingPairs>(
          apiUrl,
          "GET",
          `/api/orgs/${orgId}/relations?project=${encodeURIComponent(projectId)}`,
        )
      ).pairs,
    // Relations are an extra on the board: without them, the board still works.
    retry: false,
  });
  return useMemo(() => {
    const byId = new Map((board.data ?? []).map((t) => [t.id, t]));
    const blocked = new Map<string, string[]>();
    for (const pair of pairs.data ?? []) {
      const blocker = byId.get(pair.blockerId);
      const status = blocker?.status ?? pair.blockerStatus;
      if (finished(status)) continue;
      const key = blocker?.key ?? pair.blockerKey;
      blocked.set(pair.blockedId, [...(blocked.get(pair.blockedId) ?? []), key]);
    }
    return blocked;
  }, [pairs.data, board.data]);
}
