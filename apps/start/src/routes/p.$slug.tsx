import type { TTag, TTask } from "@tandem/contracts";
import { useQueryClient } from "@tanstack/react-query";
import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { useEffect, useMemo, useRef, useState } from "react";
import { Kanban } from "../components/board/kanban.tsx";
import { ConnectionIndicator } from "../components/connection-indicator.tsx";
import { PublicTaskDialog } from "../components/public/public-task-dialog.tsx";
import { useServices } from "../lib/app-context.tsx";
import { statusStates } from "../lib/board-model.ts";
import { type LiveStatus, liveSocket } from "../lib/live.ts";
import { applyPublicEvent, asBoardTask, usePublicOrg, usePublicTasks } from "../lib/public-board.ts";
import { keys } from "../lib/queries.ts";
import { optionalStrings } from "../lib/search.ts";

// A task key is short: anything longer is not one (and the route stays free of zod).
const taskSearch = optionalStrings("task");
const validatePublicSearch = (search: Record<string, unknown>) => {
  const { task } = taskSearch(search);
  return task && task.length <= 64 ? { task } : {};
};

export const Route = createFileRoute("/p/$slug")({
  validateSearch: validatePublicSearch,
  ssr: false,
  component: PublicBoard,
});

const PUBLIC_STATES = statusStates();

function PublicBoard() {
  const { slug } = Route.useParams();
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const { apiUrl } = useServices();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const org = usePublicOrg(slug);
  const tasks = usePublicTasks(slug, Boolean(org.data));
  const orgId = org.data?.id;
  const people = useRef(new Set<string>());
  people.current = new Set((org.data?.people ?? []).map((p) => p.id));

  useEffect(() => {
    if (!orgId) return;
    const socket = liveSocket(apiUrl);
    const offStatus = socket.onStatus(setStatus);
    setStatus(socket.getStatus());
    const off = socket.subscribe(orgId, {
      channel: "public",
      onEvent: (message) => applyPublicEvent(queryClient, slug, message, people.current),
      onResync: () => queryClient.invalidateQueries({ queryKey: keys.publicTasks(slug) }),
      // A change made between the board's read and the subscription is in no event: read again.
      onFirstSubscribed: () => queryClient.invalidateQueries({ queryKey: keys.publicTasks(slug) }),
      onPresence: () => {},
      onRevoked: () => queryClient.invalidateQueries({ queryKey: keys.publicOrg(slug) }),
    });
    return () => {
      off();
      offStatus();
    };
  }, [apiUrl, orgId, slug, queryClient]);

  // Columns by status: the public cards' state is their status (the default workflow's columns).
  const boardTasks = useMemo(
    () => (tasks.data ?? []).map((t) => ({ ...asBoardTask(t, orgId ?? ""), stateId: t.status ?? "todo" })),
    [tasks.data, orgId],
  );
  const lanes = useMemo(() => [{ key: "all", title: "", tasks: boardTasks }], [boardTasks]);
  const labels = useMemo(() => new Map<string, TTag>((org.data?.labels ?? []).map((l) => [l.id, l])), [org.data]);
  const open = (task: TTask) => navigate({ search: { task: task.key } });
  const close = () => navigate({ search: {} });

  if (org.isPending) return <p className="p-8 text-muted-foreground">Loading…</p>;
  if (!org.data) {
    return (
      <main className="p-8">
        <h1 className="text-xl font-semibold">No public board here</h1>
        <p className="mt-2 text-muted-foreground">
          This organization does not publish its board, or the address is wrong.
        </p>
      </main>
    );
  }
  return (
    <div className="min-h-screen">
      <header className="flex items-center justify-between border-b border-border px-4 py-3">
        <h1 className="font-semibold">{org.data.name} · public board</h1>
        <ConnectionIndicator status={status} />
      </header>
      <main>
        <Kanban
          lanes={lanes}
          states={PUBLIC_STATES}
          labels={labels}
          selectedId={boardTasks.find((t) => t.key === search.task)?.id ?? null}
          onOpen={open}
        />
      </main>
      {search.task ? (
        <PublicTaskDialog
          slug={slug}
          board={org.data}
          card={tasks.data?.find((t) => t.key === search.task)}
          taskKey={search.task}
          onClose={close}
        />
      ) : null}
    </div>
  );
}
