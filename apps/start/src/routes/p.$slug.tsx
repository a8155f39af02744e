import type { TEnvelope, TTask } from "@tandem/contracts";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { useEffect, useMemo, useState } from "react";
import { Kanban } from "../components/board/kanban.tsx";
import { ConnectionIndicator } from "../components/connection-indicator.tsx";
import { ApiFailure, unwrap } from "../lib/api.ts";
import { useServices } from "../lib/app-context.tsx";
import { type LiveStatus, liveSocket } from "../lib/live.ts";
import { keys } from "../lib/queries.ts";

export const Route = createFileRoute("/p/$slug")({ ssr: false, component: PublicBoard });

type PublicTask = Partial<TTask> & Pick<TTask, "id" | "key" | "number" | "title" | "rank" | "version">;

/** Public cards carry only the org's public fields; the board needs defaults for the rest. */
function asBoardTask(task: PublicTask, orgId: string): TTask {
  return {
    orgId,
    description: "",
    status: "todo",
    priority: "none",
    categoryId: null,
    labelIds: [],
    assigneeIds: [],
    parentId: null,
    visibility: "public",
    createdBy: null,
    updatedBy: null,
    createdAt: "",
    updatedAt: "",
    ...task,
  };
}

function PublicBoard() {
  const { slug } = Route.useParams();
  const { api, apiUrl } = useServices();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const org = useQuery({
    queryKey: keys.publicOrg(slug),
    queryFn: async () => {
      try {
        return await unwrap(api.api.public.orgs[":slug"].$get({ param: { slug } }));
      } catch (error) {
        if (error instanceof ApiFailure && error.status === 404) return null;
        throw error;
      }
    },
  });
  const tasks = useQuery({
    queryKey: keys.publicTasks(slug),
    queryFn: async () =>
      (await unwrap(api.api.public.orgs[":slug"].tasks.$get({ param: { slug } }))).tasks as PublicTask[],
    enabled: Boolean(org.data),
  });
  const orgId = org.data?.id;

  useEffect(() => {
    if (!orgId) return;
    const socket = liveSocket(apiUrl);
    const offStatus = socket.onStatus(setStatus);
    setStatus(socket.getStatus());
    const apply = (message: TEnvelope) => {
      const task = (message.data as { task?: PublicTask }).task;
      if (!task) return;
      queryClient.setQueryData<PublicTask[]>(keys.publicTasks(slug), (list = []) => {
        const rest = list.filter((t) => t.id !== task.id);
        return message.type === "DELETE_TASK" ? rest : [...rest, task];
      });
    };
    const off = socket.subscribe(orgId, "public", {
      onEvent: apply,
      onResync: () => queryClient.invalidateQueries({ queryKey: keys.publicTasks(slug) }),
      onPresence: () => {},
      onRevoked: () => queryClient.invalidateQueries({ queryKey: keys.publicOrg(slug) }),
    });
    return () => {
      off();
      offStatus();
    };
  }, [apiUrl, orgId, slug, queryClient]);

  const boardTasks = useMemo(() => (tasks.data ?? []).map((t) => asBoardTask(t, orgId ?? "")), [tasks.data, orgId]);
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
        <Kanban tasks={boardTasks} labels={new Map()} selectedId={null} onOpen={() => {}} />
      </main>
    </div>
  );
}
