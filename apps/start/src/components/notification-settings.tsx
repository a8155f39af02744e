import { NOTIFICATION_KINDS, type TNotificationChannel, type TNotificationKind } from "@tandem/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../lib/api.ts";
import { useServices } from "../lib/app-context.tsx";

const KIND_NAMES: Record<TNotificationKind, string> = {
  assigned: "Assigned to you",
  mentioned: "Mentions of you",
  commented: "Comments on tasks you watch",
  github_commented: "GitHub comments on tasks you watch",
  state_changed: "Status changes of tasks you watch",
  due_soon: "A task assigned to you is due tomorrow",
  overdue: "A task assigned to you is overdue",
};
const KEY = ["notification-preferences"] as const;

/** Which kinds reach the user in the app and by e-mail (`GET`, `PUT /api/me/notification-preferences`). */
export function NotificationSettings({ open }: { open: boolean }) {
  const { api } = useServices();
  const queryClient = useQueryClient();
  const route = api.api.me["notification-preferences"];
  const preferences = useQuery({ queryKey: KEY, queryFn: () => unwrap(route.$get()) });
  const save = useMutation({
    mutationFn: (preference: { kind: TNotificationKind; channel: TNotificationChannel; enabled: boolean }) =>
      unwrap(route.$put({ json: { preferences: [preference] } })),
    onSuccess: (data) => queryClient.setQueryData(KEY, data),
  });
  const enabled = (kind: TNotificationKind, channel: TNotificationChannel) =>
    preferences.data?.preferences.find((p) => p.kind === kind && p.channel === channel)?.enabled ?? true;
  return (
    <details open={open} className="rounded-md border border-border p-3 text-sm">
      <summary className="cursor-pointer font-medium">Notification settings</summary>
      <table className="mt-2 w-full">
        <thead>
          <tr className="text-left text-xs text-muted-foreground">
            <th className="py-1 font-normal">Kind</th>
            <th className="py-1 font-normal">In the app</th>
            <th className="py-1 font-normal">E-mail</th>
          </tr>
        </thead>
        <tbody>
          {NOTIFICATION_KINDS.map((kind) => (
            <tr key={kind}>
              <td className="py-1">{KIND_NAMES[kind]}</td>
              {(["inApp", "email"] as const).map((channel) => (
                <td key={channel} className="py-1">
                  <input
                    type="checkbox"
                    aria-label={`${KIND_NAMES[kind]}: ${channel === "inApp" ? "in the app" : "by e-mail"}`}
                    checked={enabled(kind, channel)}
                    disabled={!preferences.data || save.isPending}
                    onChange={(event) => save.mutate({ kind, channel, enabled: event.target.checked })}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
