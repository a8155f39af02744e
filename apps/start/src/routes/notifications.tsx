import type { TNotification } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { createFileRoute, Link } from "@tanstack/react-router";
import { NotificationBell } from "../components/notification-bell.tsx";
import { NotificationSettings } from "../components/notification-settings.tsx";
import { RelativeTime } from "../components/task-dialog/relative-time.tsx";
import { useMe } from "../lib/queries.ts";
import { RedirectToLogin } from "../lib/redirect.tsx";
import { optionalStrings } from "../lib/search.ts";
import { useInbox, useInboxChange } from "../lib/use-inbox.ts";

export const Route = createFileRoute("/notifications")({
  validateSearch: optionalStrings("settings"),
  ssr: false,
  component: Notifications,
});

function Item({ notification, change }: { notification: TNotification; change: ReturnType<typeof useInboxChange> }) {
  const unread = !notification.readAt;
  return (
    <li
      data-testid="notification"
      data-unread={unread}
      className="flex flex-wrap items-center gap-2 rounded-md border border-border p-3 text-sm data-[unread=true]:bg-muted/50"
    >
      {unread ? <span className="sr-only">Unread:</span> : null}
      <span
        className="size-2 rounded-full bg-primary data-[read=true]:invisible"
        data-read={!unread}
        aria-hidden="true"
      />
      <div className="min-w-0 flex-1">
        <Link
          to="/o/$slug"
          params={{ slug: notification.orgSlug }}
          search={{ task: notification.taskKey }}
          hash={notification.commentId ? `comment-${notification.commentId}` : undefined}
          className="font-medium hover:underline"
          onClick={() => {
            if (unread) void change.read([notification.id]);
          }}
        >
          {notification.summary}
        </Link>
        <p className="text-xs text-muted-foreground">
          {notification.count > 1 ? `${notification.count} changes · ` : ""}
          <RelativeTime iso={notification.updatedAt} />
        </p>
      </div>
      {unread ? (
        <Button variant="ghost" size="sm" onClick={() => void change.read([notification.id])}>
          Mark read
        </Button>
      ) : null}
      <Button variant="ghost" size="sm" onClick={() => void change.archive([notification.id])}>
        Archive
      </Button>
    </li>
  );
}

function Notifications() {
  const me = useMe();
  const inbox = useInbox();
  const change = useInboxChange();
  const { settings } = Route.useSearch();
  if (me.isPending) return <p className="p-8 text-muted-foreground">Loading…</p>;
  if (!me.data) return <RedirectToLogin />;
  const unread = inbox.data?.unreadCount ?? 0;
  return (
    <main className="mx-auto max-w-2xl space-y-4 p-6">
      <header className="flex items-center gap-3">
        <h1 className="flex-1 text-xl font-semibold">Notifications</h1>
        <Button variant="outline" size="sm" disabled={!unread} onClick={() => void change.read("all")}>
          Mark all read
        </Button>
        <NotificationBell />
        <Link to="/" className="text-sm underline">
          Boards
        </Link>
      </header>
      {inbox.data?.notifications.length ? (
        <ul className="space-y-2">
          {inbox.data.notifications.map((notification) => (
            <Item key={notification.id} notification={notification} change={change} />
          ))}
        </ul>
      ) : (
        <p className="text-muted-foreground">{inbox.isPending ? "Loading…" : "Nothing new."}</p>
      )}
      <NotificationSettings open={settings === "1"} />
    </main>
  );
}
