import { TASK_PRIORITIES, TASK_STATUSES, type TTask } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { Input } from "@tandem/ui/components/input";
import { Kbd } from "@tandem/ui/components/kbd";
import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { lazy, Suspense, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from "react";
import { MembersContext } from "../components/assignee-avatars.tsx";
import { Board } from "../components/board/board.tsx";
import { ListView } from "../components/board/list-view.tsx";
import { OrgHeader } from "../components/org-header.tsx";
import { PermissionButton } from "../components/permission-button.tsx";
import { apiFor } from "../lib/api.ts";
import { filterTasks, groupByStatus, PRIORITY_LABELS, STATUS_LABELS } from "../lib/board-model.ts";
import { useCan, useOrg } from "../lib/org-context.tsx";
import { useBoard, useLabels, useMembers, useTaskMutations } from "../lib/queries.ts";
import { prefetchBoard } from "../lib/query-options.ts";
import { optionalStrings } from "../lib/search.ts";
import { useLive } from "../lib/use-live.ts";

// Loaded when first opened: most visits open none of them, and together they are a third of
// the board's JavaScript (Radix dialogs, cmdk, the task editor).
const TaskDialog = lazy(() => import("../components/task-dialog.tsx").then((m) => ({ default: m.TaskDialog })));
const TaskNotFound = lazy(() => import("../components/task-dialog.tsx").then((m) => ({ default: m.TaskNotFound })));
const CreateTaskDialog = lazy(() =>
  import("../components/create-task-dialog.tsx").then((m) => ({ default: m.CreateTaskDialog })),
);
const CommandPalette = lazy(() =>
  import("../components/command-palette.tsx").then((m) => ({ default: m.CommandPalette })),
);

const boardSearch = optionalStrings("task", "view", "status", "priority", "label", "assignee", "q");
/** `view` is "board" or "list"; anything else is the default board. */
function validateBoardSearch(search: Record<string, unknown>): Omit<ReturnType<typeof boardSearch>, "view"> & {
  view?: "board" | "list";
} {
  const { view, ...rest } = boardSearch(search);
  return view === "list" || view === "board" ? { ...rest, view } : rest;
}

export const Route = createFileRoute("/o/$slug/")({
  validateSearch: validateBoardSearch,
  ssr: false,
  // The board, its labels and members start loading with the user, before this page's code
  // has arrived (not awaited: the page shows its own loading state).
  loader: async ({ context, params, parentMatchPromise }) => {
    const apiUrl = (await parentMatchPromise).loaderData?.apiUrl;
    if (apiUrl) void prefetchBoard(context.queryClient, apiFor(apiUrl), params.slug);
  },
  // Filters and the open task live in the search: changing them must not re-run the loader.
  staleTime: Number.POSITIVE_INFINITY,
  component: BoardPage,
});

// Fixed width: options arrive with the labels and members, and must not reflow the header.
const filterSelect = "h-8 w-32 rounded-md border border-border bg-background px-2 text-sm";

function isTyping(target: EventTarget | null) {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))
  );
}

function BoardPage() {
  const org = useOrg();
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const board = useBoard(org.id);
  const labels = useLabels(org.id);
  const members = useMembers(org.id);
  const { status, presence } = useLive(org.id, "tasks");
  const { move, update } = useTaskMutations(org.id);
  const canCreate = useCan("tasks.create");
  const canEdit = useCan("tasks.edit");
  const [creating, setCreating] = useState(false);
  const [palette, setPalette] = useState(false);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  // The link of a dialog the user just closed (or deleted from) is not "not found" meanwhile.
  const [dismissed, setDismissed] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  const tasks = useMemo(() => filterTasks(board.data ?? [], search), [board.data, search]);
  // The cards render in a background (time-sliced) pass: the first paint of the board and each
  // filter keystroke never block the page for the whole render at once.
  const shown = useDeferredValue(tasks);
  const ordered = useMemo(() => {
    const columns = groupByStatus(tasks);
    return TASK_STATUSES.flatMap((s) => columns[s]);
  }, [tasks]);
  const shownOrdered = useDeferredValue(ordered);
  const labelMap = useMemo(() => new Map((labels.data ?? []).map((l) => [l.id, l])), [labels.data]);
  const memberMap = useMemo(() => new Map((members.data ?? []).map((m) => [m.userId, m])), [members.data]);
  const openTask = search.task
    ? (board.data ?? []).find((t) => t.key === search.task || t.id === search.task)
    : undefined;
  const selected = ordered.find((t) => t.id === selectedId);

  const setSearch = useCallback(
    (patch: Partial<ReturnType<typeof validateBoardSearch>>) =>
      navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true }),
    [navigate],
  );
  const open = useCallback(
    (task: TTask) => {
      setDismissed(null);
      setSearch({ task: task.key });
    },
    [setSearch],
  );
  const closeTask = useCallback(() => {
    setDismissed(search.task ?? null);
    setSearch({ task: undefined });
  }, [search.task, setSearch]);

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === "k") {
        event.preventDefault();
        setPalette((value) => !value);
        return;
      }
      if (isTyping(event.target) || palette || creating || search.task) return;
      const index = ordered.findIndex((t) => t.id === selectedId);
      if (event.key === "c" && canCreate) {
        event.preventDefault();
        setCreating(true);
      } else if (event.key === "/") {
        event.preventDefault();
        searchRef.current?.focus();
      } else if (event.key === "j" || event.key === "k") {
        const next = ordered[Math.max(0, Math.min(ordered.length - 1, index + (event.key === "j" ? 1 : -1)))];
        if (next) setSelectedId(next.id);
      } else if (event.key === "Enter" && selected) {
        open(selected);
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [ordered, selectedId, selected, palette, creating, search.task, canCreate, open]);

  return (
    <MembersContext.Provider value={memberMap}>
      <div className="flex min-h-screen flex-col">
        <OrgHeader status={status} presence={presence}>
          <div className="flex flex-wrap items-center gap-2">
            <Input
              ref={searchRef}
              aria-label="Search tasks"
              placeholder="Search…  /"
              className="h-8 w-48"
              defaultValue={search.q ?? ""}
              onChange={(e) => setSearch({ q: e.target.value || undefined })}
            />
            <select
              aria-label="Filter by status"
              className={filterSelect}
              value={search.status ?? ""}
              onChange={(e) => setSearch({ status: e.target.value || undefined })}
            >
              <option value="">All statuses</option>
              {TASK_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
            </select>
            <select
              aria-label="Filter by priority"
              className={filterSelect}
              value={search.priority ?? ""}
              onChange={(e) => setSearch({ priority: e.target.value || undefined })}
            >
              <option value="">Any priority</option>
              {TASK_PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {PRIORITY_LABELS[p]}
                </option>
              ))}
            </select>
            <select
              aria-label="Filter by label"
              className={filterSelect}
              value={search.label ?? ""}
              onChange={(e) => setSearch({ label: e.target.value || undefined })}
            >
              <option value="">Any label</option>
              {labels.data?.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
            <select
              aria-label="Filter by assignee"
              className={filterSelect}
              value={search.assignee ?? ""}
              onChange={(e) => setSearch({ assignee: e.target.value || undefined })}
            >
              <option value="">Anyone</option>
              {members.data?.map((m) => (
                <option key={m.userId} value={m.userId}>
                  {m.name}
                </option>
              ))}
            </select>
            <Button
              variant="outline"
              size="sm"
              onClick={() => setSearch({ view: search.view === "list" ? undefined : "list" })}
            >
              {search.view === "list" ? "Board view" : "List view"}
            </Button>
            <PermissionButton permission="tasks.create" size="sm" onClick={() => setCreating(true)}>
              New task <Kbd className="ml-1">C</Kbd>
            </PermissionButton>
          </div>
        </OrgHeader>
        <main className="flex flex-1 flex-col">
          <h1 className="sr-only">
            {org.name}: {search.view === "list" ? "task list" : "board"}
          </h1>
          {/* One render of the board with its labels and people, not one per response. */}
          {board.isPending || labels.isPending || members.isPending ? (
            <p className="p-8 text-muted-foreground">Loading the board…</p>
          ) : (board.data ?? []).length === 0 ? (
            <div className="p-8 text-center">
              <h2 className="text-lg font-semibold">No tasks yet</h2>
              <p className="mt-1 text-muted-foreground">
                {canCreate
                  ? 'Press C or use "New task" to create the first one.'
                  : "You can read this board. To create tasks, ask an admin to add you to a team."}
              </p>
            </div>
          ) : search.view === "list" ? (
            <ListView tasks={shownOrdered} selectedId={selectedId} onOpen={open} />
          ) : (
            <Board
              tasks={shown}
              labels={labelMap}
              selectedId={selectedId}
              onOpen={open}
              onMove={canEdit ? move.mutate : undefined}
            />
          )}
        </main>
        <Suspense fallback={null}>
          {openTask ? (
            <TaskDialog key={openTask.id} task={openTask} onClose={closeTask} />
          ) : search.task && board.isSuccess && search.task !== dismissed ? (
            <TaskNotFound taskKey={search.task} onClose={closeTask} />
          ) : null}
          {creating ? <CreateTaskDialog open={creating} onOpenChange={setCreating} /> : null}
          {palette ? (
            <CommandPalette
              open={palette}
              onOpenChange={setPalette}
              tasks={ordered}
              selected={selected}
              onOpenTask={open}
              onSetStatus={(task, next) => update.mutate({ task, patch: { status: next } })}
            />
          ) : null}
        </Suspense>
      </div>
    </MembersContext.Provider>
  );
}
