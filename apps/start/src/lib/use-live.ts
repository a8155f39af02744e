import type { TEventMessage } from "@tandem/contracts";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useServices } from "./app-context.tsx";
import { type LiveStatus, liveSocket, type Presence } from "./live.ts";
import { markOrgDeleted } from "./org-gone.ts";
import { keys, removeTask, upsertTask } from "./queries.ts";

/** Live updates for one org channel, applied to the query cache. */
export function useLive(
  orgId: string | undefined,
  channel: "tasks" | "admin" = "tasks",
  onRevoked?: (reason: string) => void,
) {
  const { apiUrl } = useServices();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const [presence, setPresence] = useState<Presence>([]);

  useEffect(() => {
    const socket = liveSocket(apiUrl);
    setStatus(socket.getStatus());
    return socket.onStatus(setStatus);
  }, [apiUrl]);

  useEffect(() => {
    if (!orgId) return;
    const socket = liveSocket(apiUrl);
    const apply = (message: TEventMessage) => {
      switch (message.type) {
        case "CREATE_TASK":
        case "UPDATE_TASK":
          upsertTask(queryClient, message.data.task);
          queryClient.invalidateQueries({ queryKey: keys.activity(orgId, message.data.task.id) });
          return;
        case "DELETE_TASK":
          removeTask(queryClient, orgId, message.data.task.id);
          return;
        case "CREATE_COMMENT":
        case "UPDATE_COMMENT":
        case "DELETE_COMMENT":
          queryClient.invalidateQueries({ queryKey: keys.comments(orgId, message.data.comment.taskId) });
          queryClient.invalidateQueries({ queryKey: keys.activity(orgId, message.data.comment.taskId) });
          return;
        case "CREATE_ATTACHMENT":
        case "DELETE_ATTACHMENT":
          queryClient.invalidateQueries({ queryKey: keys.attachments(orgId, message.data.attachment.taskId) });
          queryClient.invalidateQueries({ queryKey: keys.activity(orgId, message.data.attachment.taskId) });
          return;
        case "CREATE_LABEL":
        case "UPDATE_LABEL":
          queryClient.invalidateQueries({ queryKey: keys.labels(orgId) });
          return;
        case "DELETE_LABEL":
          // The label left its tasks, each with a new version: refetch them, or the next edit is stale.
          queryClient.invalidateQueries({ queryKey: keys.labels(orgId) });
          queryClient.invalidateQueries({ queryKey: keys.tasks(orgId) });
          return;
        case "CREATE_CATEGORY":
        case "UPDATE_CATEGORY":
        case "DELETE_CATEGORY":
          queryClient.invalidateQueries({ queryKey: keys.categories(orgId) });
          return;
        case "CREATE_ORG":
        case "UPDATE_ORG":
        case "DELETE_ORG":
        case "CREATE_TEAM":
        case "UPDATE_TEAM":
        case "DELETE_TEAM":
        case "CREATE_MEMBER":
        case "UPDATE_MEMBER":
        case "CREATE_INVITE":
        case "UPDATE_INVITE":
        case "CREATE_GITHUB_REPO":
        case "DELETE_GITHUB_REPO":
        case "UPDATE_GITHUB_REPO":
          queryClient.invalidateQueries({ queryKey: keys.me });
          queryClient.invalidateQueries({ queryKey: keys.members(orgId) });
          queryClient.invalidateQueries({ queryKey: keys.teams(orgId) });
          return;
        case "CREATE_API_KEY":
        case "DELETE_API_KEY":
          queryClient.invalidateQueries({ queryKey: keys.apiKeys(orgId) });
          return;
        case "UPDATE_IMPORT":
          // Progress of an import; its tasks, labels and comments arrive as their own events.
          queryClient.setQueryData(keys.importJob(orgId, message.data.import.id), message.data.import);
          queryClient.invalidateQueries({ queryKey: keys.imports(orgId) });
          return;
        case "CREATE_WEBHOOK":
        case "UPDATE_WEBHOOK":
        case "DELETE_WEBHOOK":
          queryClient.invalidateQueries({ queryKey: keys.webhooks(orgId) });
          return;
        case "CREATE_PROJECT":
        case "CREATE_STATE":
        case "UPDATE_STATE":
          queryClient.invalidateQueries({ queryKey: keys.projects(orgId) });
          return;
        case "UPDATE_PROJECT":
        case "DELETE_PROJECT":
        case "DELETE_STATE":
          // A new key renames the project's tasks' keys; a deleted project or state moved or
          // removed tasks (each has its own event, but a key change has none).
          queryClient.invalidateQueries({ queryKey: keys.projects(orgId) });
          if (message.type !== "DELETE_STATE") queryClient.invalidateQueries({ queryKey: keys.tasks(orgId) });
          return;
        case "CREATE_RELATION":
        case "DELETE_RELATION":
          queryClient.invalidateQueries({ queryKey: keys.relations(orgId) });
          return;
        case "CREATE_VIEW":
        case "UPDATE_VIEW":
        case "DELETE_VIEW":
          queryClient.invalidateQueries({ queryKey: keys.views(orgId) });
          return;
        case "DELETE_MEMBER":
          // A removed member is unassigned from every task, each with a new version.
          queryClient.invalidateQueries({ queryKey: keys.me });
          queryClient.invalidateQueries({ queryKey: keys.members(orgId) });
          queryClient.invalidateQueries({ queryKey: keys.teams(orgId) });
          queryClient.invalidateQueries({ queryKey: keys.tasks(orgId) });
          return;
        default:
          message satisfies never;
      }
    };
    return socket.subscribe(orgId, {
      channel,
      onEvent: apply,
      onResync: () => queryClient.invalidateQueries({ queryKey: keys.tasks(orgId) }),
      onPresence: setPresence,
      // Removed, or lost the admin channel: refetch what this user may see (the org layout
      // then tells a removed member so instead of leaving a stale board).
      onRevoked: (reason) => {
        if (reason === "org_deleted") markOrgDeleted(queryClient, orgId);
        queryClient.invalidateQueries({ queryKey: keys.me });
        onRevoked?.(reason);
      },
    });
  }, [apiUrl, orgId, channel, queryClient, onRevoked]);

  return { status, presence };
}
