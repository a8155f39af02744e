import type { TInboxMessage, TNotificationPage, TServerMessage } from "@tandem/contracts";
import { type QueryClient, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { unwrap } from "./api.ts";
import { useServices } from "./app-context.tsx";
import { liveSocket } from "./live.ts";

export const INBOX_KEY = ["inbox"] as const;

/** The signed-in user's inbox (newest first, archived left out) with its unread count. */
export function useInbox() {
  const { api } = useServices();
  return useQuery({
    queryKey: INBOX_KEY,
    queryFn: () => unwrap(api.api.me.notifications.$get({ query: {} })),
  });
}

/** A notification written or changed, applied to the cached inbox (by id, newest seq first). */
export function applyNotification(queryClient: QueryClient, { data }: TInboxMessage) {
  queryClient.setQueryData<TNotificationPage>(INBOX_KEY, (page) => {
    if (!page) return page;
    const others = page.notifications.filter((n) => n.id !== data.notification.id);
    const notifications = data.notification.archivedAt ? others : [data.notification, ...others];
    notifications.sort((a, b) => b.seq - a.seq);
    return { ...page, notifications, unreadCount: data.unreadCount };
  });
}

/**
 * Keeps the cached inbox live on the hub's inbox channel: new notifications, and reads and
 * archives made in other tabs. Mounted once per page (by the bell).
 */
export function useInboxLive() {
  const { apiUrl } = useServices();
  const queryClient = useQueryClient();
  useEffect(() => {
    const socket = liveSocket(apiUrl);
    const refetch = () => void queryClient.invalidateQueries({ queryKey: INBOX_KEY });
    // The last notification seq seen: a reconnect resumes after it.
    let lastSeq: number | null = null;
    const detach = socket.attach({
      open: () =>
        socket.send({ type: "SUBSCRIBE", channel: "inbox", ...(lastSeq === null ? {} : { afterSeq: lastSeq }) }),
      handle: (message: TServerMessage) => {
        switch (message.type) {
          case "INBOX_SUBSCRIBED":
            lastSeq = Math.max(lastSeq ?? 0, message.data.lastSeq);
            refetch();
            return true;
          case "NOTIFICATION":
            lastSeq = Math.max(lastSeq ?? 0, message.meta.seq);
            applyNotification(queryClient, message);
            return true;
          case "INBOX_RESYNC":
            lastSeq = message.data.lastSeq;
            refetch();
            return true;
          case "INBOX_UNSUBSCRIBED":
            return true;
          default:
            return false;
        }
      },
    });
    return () => {
      detach();
      socket.send({ type: "UNSUBSCRIBE", channel: "inbox" });
    };
  }, [apiUrl, queryClient]);
}

/** Marks notifications read (`ids`, or all) or archives them (`ids`); the cache follows the answer. */
export function useInboxChange() {
  const { api } = useServices();
  const queryClient = useQueryClient();
  const settle = (hit: (id: string) => boolean, change: "read" | "archive", unreadCount: number) => {
    const now = new Date().toISOString();
    queryClient.setQueryData<TNotificationPage>(INBOX_KEY, (page) => {
      if (!page) return page;
      const notifications =
        change === "archive"
          ? page.notifications.filter((n) => !hit(n.id))
          : page.notifications.map((n) => (hit(n.id) && !n.readAt ? { ...n, readAt: now } : n));
      return { ...page, notifications, unreadCount };
    });
  };
  return {
    read: async (ids: string[] | "all") => {
      const json = ids === "all" ? { all: true as const } : { ids };
      const result = await unwrap(api.api.me.notifications.read.$post({ json }));
      settle((id) => ids === "all" || ids.includes(id), "read", result.unreadCount);
    },
    archive: async (ids: string[]) => {
      const result = await unwrap(api.api.me.notifications.archive.$post({ json: { ids } }));
      settle((id) => ids.includes(id), "archive", result.unreadCount);
    },
  };
}
