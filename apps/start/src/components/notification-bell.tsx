import { Link } from "@tanstack/react-router";
import { BellIcon } from "lucide-react";
import { useInbox, useInboxLive } from "../lib/use-inbox.ts";

/** The header's bell: the unread count, live on the inbox channel; opens the notifications page. */
export function NotificationBell() {
  useInboxLive();
  const inbox = useInbox();
  const unread = inbox.data?.unreadCount ?? 0;
  return (
    <Link
      to="/notifications"
      className="relative inline-flex size-8 items-center justify-center rounded hover:bg-muted"
      aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"}
      data-testid="notification-bell"
    >
      <BellIcon className="size-4" aria-hidden="true" />
      {unread ? (
        <span
          data-testid="notification-count"
          className="absolute -top-0.5 -right-0.5 min-w-4 rounded-full bg-primary px-1 text-center text-[10px] leading-4 font-semibold text-primary-foreground"
        >
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </Link>
  );
}
