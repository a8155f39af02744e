import type { TChannel, TComment, TEnvelope, TTask } from "@tandem/contracts";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useServices } from "./app-context.tsx";
import { type LiveStatus, liveSocket, type Presence } from "./live.ts";
import { markOrgDeleted } from "./org-gone.ts";
import { keys, removeTask, upsertTask } from "./queries.ts";

/** Live updates for one org channel, applied to the query cache. */
export function useLive(orgId: string | undefined, channel: TChannel = "tasks", onRevoked?: (reason: string) => void) {
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
    const taskKey = channel === "public" ? null : keys.tasks(orgId);
    const apply = (message: TEnvelope) => {
      const data = message.data as { task?: TTask; comment?: TComment };
      switch (message.type) {
        case "CREATE_TASK":
        case "UPDATE_TASK":
          if (data.task) upsertTask(queryClient, data.task);
          if (data.task && taskKey) queryClient.invalidateQueries({ queryKey: keys.activity(orgId, data.task.id) });
          return;
        case "DELETE_TASK":
          if (data.task) removeTask(queryClient, orgId, data.task.id);
          return;
        case "CREATE_COMMENT":
        case "UPDATE_COMMENT":
        case "DELETE_COMMENT":
          if (!data.comment) return;
          queryClient.invalidateQueries({ queryKey: keys.comments(orgId, data.comment.taskId) });
          queryClient.invalidateQueries({ queryKey: keys.activity(orgId, data.comment.taskId) });
          return;
        case "CREATE_ATTACHMENT":
        case "DELETE_ATTACHMENT": {
          const attachment = (message.data as { attachment?: { taskId: string } }).attachment;
          if (!attachment) return;
          queryClient.invalidateQueries({ queryKey: keys.attachments(orgId, attachment.taskId) });
          queryClient.invalidateQueries({ queryKey: keys.activity(orgId, attachment.taskId) });
          return;
        }
        case "CREATE_LABEL":
        case "UPDATE_LABEL":
        case "DELETE_LABEL":
          queryClient.invalidateQueries({ queryKey: keys.labels(orgId) });
          return;
        case "CREATE_CATEGORY":
        case "UPDATE_CATEGORY":
        case "DELETE_CATEGORY":
          queryClient.invalidateQueries({ queryKey: keys.categories(orgId) });
          return;
        default:
          queryClient.invalidateQueries({ queryKey: keys.me });
          queryClient.invalidateQueries({ queryKey: keys.members(orgId) });
          queryClient.invalidateQueries({ queryKey: keys.teams(orgId) });
      }
    };
    return socket.subscribe(orgId, channel, {
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
