import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useServices } from "../../lib/app-context.tsx";
import { type LiveStatus, liveSocket } from "../../lib/live.ts";
import { applyPublicEvent, type PublicBoardRef } from "../../lib/public-board.ts";
import { keys } from "../../lib/queries.ts";

/**
 * Keeps one project's public board live over the org's public channel: task events are
 * applied to the cached cards, anything missed (a resync, the gap before the subscription)
 * reads the board again. Answers the connection status for the indicator.
 */
export function usePublicLive(orgId: string | undefined, board: PublicBoardRef | null, people: readonly string[]) {
  const { apiUrl } = useServices();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const known = useRef(new Set<string>());
  known.current = new Set(people);
  const slug = board?.slug;
  const projectKey = board?.projectKey;
  const projectId = board?.projectId;

  useEffect(() => {
    if (!orgId || !slug || !projectKey || !projectId) return;
    const ref = { slug, projectKey, projectId };
    const reread = () => queryClient.invalidateQueries({ queryKey: keys.publicTasks(slug, projectKey) });
    const socket = liveSocket(apiUrl);
    const offStatus = socket.onStatus(setStatus);
    setStatus(socket.getStatus());
    const off = socket.subscribe(orgId, {
      channel: "public",
      onEvent: (message) => applyPublicEvent(queryClient, ref, message, known.current),
      onResync: () => {
        // Projects and their states reach the public channel as no event: read the board again too.
        void queryClient.invalidateQueries({ queryKey: ["public-board", slug] });
        void reread();
      },
      // A change made between the board's read and the subscription is in no event: read again.
      onFirstSubscribed: reread,
      onPresence: () => {},
      onRevoked: () => queryClient.invalidateQueries({ queryKey: ["public-board", slug] }),
    });
    return () => {
      off();
      offStatus();
    };
  }, [apiUrl, orgId, slug, projectKey, projectId, queryClient]);

  return status;
}
