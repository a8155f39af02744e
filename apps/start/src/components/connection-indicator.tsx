import type { LiveStatus } from "../lib/live.ts";

const LABEL: Record<LiveStatus, string> = {
  connecting: "Connecting",
  connected: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};
const DOT: Record<LiveStatus, string> = {
  connecting: "bg-amber-400",
  connected: "bg-emerald-500",
  reconnecting: "bg-amber-500 animate-pulse",
  offline: "bg-zinc-400",
};

export function ConnectionIndicator({ status }: { status: LiveStatus }) {
  return (
    <span
      role="status"
      data-testid="connection-status"
      data-status={status}
      className="inline-flex items-center gap-1.5 text-xs text-muted-foreground"
    >
      <span className={`size-2 rounded-full ${DOT[status]}`} aria-hidden />
      {LABEL[status]}
    </span>
  );
}
