import { CATEGORY_STATUS, type TProjectWithStates, type TSavedView, type TTask } from "@tandem/contracts";
import { Suspense, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from "react";
import { filterTasks } from "../../lib/board-model.ts";
import type { BoardSearch, SetSearch } from "../../lib/board-search.ts";
import { useBulkUpdate } from "../../lib/bulk.ts";
import { lazyRetry } from "../../lib/lazy-retry.ts";
import { useCan, useOrg } from "../../lib/org-context.tsx";
import { rememberProject } from "../../lib/projects.ts";
import { useBoard, useLabels, useMembers, useTaskMutations } from "../../lib/queries.ts";
import { useBlockedBy } from "../../lib/relations.ts";
import { sortTasks } from "../../lib/sort.ts";
import { asGroup, toLanes } from "../../lib/swimlanes.ts";
import { useLive } from "../../lib/use-live.ts";
import { filtersToSearch, useViews } from "../../lib/views.ts";
import { MembersContext } from "../assignee-avatars.tsx";
import { Board } from "../board/board.tsx";
import { CardContext, type CardDecorations } from "../board/card-context.tsx";
import { OrgHeader } from "../org-header.tsx";
import { BoardToolbar } from "./board-toolbar.tsx";
import { ProjectSwitcher } from "./project-switcher.tsx";
import { useBoardKeys } from "./use-board-keys.ts";

// Loaded when first opened: most visits open none of them, and together they are a third of
// the board's JavaScript (Radix dialogs, cmdk, the task editor).
const TaskDialog = lazyRetry(() => import("../task-dialog.tsx").then((m) => ({ default: m.TaskDialog })));
const TaskNotFound = lazyRetry(() => import("../task-dialog.tsx").then((m) => ({ default: m.TaskNotFound })));
const CreateTaskDialog = lazyRetry(() =>
  import("../create-task-dialog.tsx").then((m) => ({ default: m.CreateTaskDialog })),
);
// Not needed for the board's first paint: the list layout, the bulk bar (once cards are
// selected) and the views sidebar (its frame holds its place meanwhile).
const ListView = lazyRetry(() => import("../board/list-view.tsx").then((m) => ({ default: m.ListView })));
const BulkBar = lazyRetry(() => import("./bulk-bar.tsx").then((m) => ({ default: m.BulkBar })));
const ViewsSidebar = lazyRetry(() => import("./views-sidebar.tsx").then((m) => ({ default: m.ViewsSidebar })));
const sidebarFrame = <div className="w-48 shrink-0 border-r border-border" />;
const CommandPalette = lazyRetry(() => import("../command-palette.tsx").then((m) => ({ default: m.CommandPalette })));

const EMPTY: TTask[] = [];

/** One project's board (or list): `/o/:slug/:projectKey`, and `/o/:slug` for the last project used. */
export function ProjectBoardPage(props: {
  project: TProjectWithStates;
  projects: TProjectWithStates[];
  search: BoardSearch;
  setSearch: SetSearch;
  onSwitchProject: (key: string) => void;
}) {
  const { project, search, setSearch } = props;
  const org = useOrg();
  const board = useBoard(org.id, project.id);
  const labels = useLabels(org.id);
  const members = useMembers(org.id);
  const { status, presence } = useLive(org.id, "tasks");
  const { move, update, assign } = useTaskMutations(org.id);
  const bulk = useBulkUpdate(org.id);
  const blockedBy = useBlockedBy(org.id, project.id);
  const canCreate = useCan("tasks.create");
  const canEdit = useCan("tasks.edit");
  const [creating, setCreating] = useState(false);
  const [palette, setPalette] = useState(false);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [selection, setSelection] = useState<ReadonlySet<string>>(() => new Set());
  // The link of a dialog the user just closed (or deleted from) is not "not found" meanwhile.
  const [dismissed, setDismissed] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const states = project.states;

  useEffect(() => rememberProject(org.id, project.key), [org.id, project.key]);

  const projectTasks = board.data ?? EMPTY;
  const tasks = useMemo(() => filterTasks(projectTasks, search), [projectTasks, search]);
  const group = asGroup(search.group);
  const lanes = useMemo(
    () => toLanes(tasks, group, { members: members.data ?? [], labels: labels.data ?? [] }),
    [tasks, group, members.data, labels.data],
  );
  // The cards render in a background (time-sliced) pass: the first paint of the board and each
  // filter keystroke never block the page for the whole render at once.
  const shownLanes = useDeferredValue(lanes);
  const ordered = useMemo(() => sortTasks(tasks, states, search.sort, search.dir), [tasks, states, search]);
  const shownOrdered = useDeferredValue(ordered);
  const labelMap = useMemo(() => new Map((labels.data ?? []).map((l) => [l.id, l])), [labels.data]);
  const memberMap = useMemo(() => new Map((members.data ?? []).map((m) => [m.userId, m])), [members.data]);
  const openTask = search.task
    ? (board.data ?? []).find((t) => t.key === search.task || t.id === search.task)
    : undefined;
  const selected = ordered.find((t) => t.id === selectedId);
  const picked = useMemo(() => projectTasks.filter((t) => selection.has(t.id)), [projectTasks, selection]);

  const toggle = useCallback((taskId: string) => {
    setSelection((previous) => {
      const next = new Set(previous);
      if (!next.delete(taskId)) next.add(taskId);
      return next;
    });
  }, []);
  const clearSelection = useCallback(() => setSelection(new Set()), []);
  const decorations = useMemo<CardDecorations>(
    () => ({ selection, toggle, blockedBy }),
    [selection, toggle, blockedBy],
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
  // The view whose filters the search holds: a `?view=` link applies its view once it loads.
  const appliedView = useRef<string | null>(null);
  const openView = useCallback(
    (view: TSavedView) => {
      appliedView.current = view.id;
      setSearch({
        view: view.id,
        ...filtersToSearch(view.filters),
        group: view.groupBy === "none" || view.groupBy === "state" ? undefined : view.groupBy,
        layout: view.layout === "list" ? "list" : undefined,
      });
    },
    [setSearch],
  );
  const views = useViews(org.id);
  useEffect(() => {
    if (!search.view || appliedView.current === search.view) return;
    const view = views.data?.find((v) => v.id === search.view);
    if (view) openView(view);
  }, [search.view, views.data, openView]);
  const applyBulk = useCallback(
    (patch: Parameters<typeof bulk.mutate>[0]["patch"]) => bulk.mutate({ taskIds: [...selection], patch }),
    [bulk, selection],
  );
  const moveTask = useCallback(
    (request: Parameters<typeof move.mutate>[0]) => {
      const state = states.find((s) => s.id === request.stateId);
      move.mutate({ ...request, status: state ? CATEGORY_STATUS[state.category] : undefined });
    },
    [move, states],
  );

  useBoardKeys({
    ordered,
    selectedId,
    setSelectedId,
    blocked: palette || creating || Boolean(search.task),
    canCreate,
    searchRef,
    togglePalette: () => setPalette((value) => !value),
    create: () => setCreating(true),
    open,
    toggle,
    clearSelection,
  });

  return (
    <MembersContext.Provider value={memberMap}>
      <CardContext.Provider value={decorations}>
        <div className="flex min-h-screen flex-col">
          <OrgHeader status={status} presence={presence} />
          {/* The board's own bar, a row of its own: the header keeps one line at any width. */}
          <div className="flex flex-wrap items-center gap-2 border-b border-border px-4 py-2">
            <ProjectSwitcher projects={props.projects} current={project} onSwitch={props.onSwitchProject} />
            <BoardToolbar
              search={search}
              setSearch={setSearch}
              states={states}
              labels={labels.data}
              members={members.data}
              searchRef={searchRef}
              onCreate={() => setCreating(true)}
            />
          </div>
          <div className="flex flex-1">
            <Suspense fallback={sidebarFrame}>
              <ViewsSidebar projectId={project.id} search={search} onOpen={openView} />
            </Suspense>
            <main className="flex min-w-0 flex-1 flex-col">
              <h1 className="sr-only">
                {project.name}: {search.layout === "list" ? "task list" : "board"}
              </h1>
              {/* One render of the board with its labels and people, not one per response. */}
              {board.isPending || labels.isPending || members.isPending ? (
                <p className="p-8 text-muted-foreground">Loading the board…</p>
              ) : search.layout === "list" ? (
                <Suspense fallback={<p className="p-8 text-muted-foreground">Loading the list…</p>}>
                  <ListView
                    tasks={shownOrdered}
                    states={states}
                    members={members.data ?? []}
                    selectedId={selectedId}
                    sort={search.sort}
                    dir={search.dir}
                    onSort={(sort, dir) => setSearch({ sort, dir })}
                    onOpen={open}
                    onPatch={
                      canEdit
                        ? (task, patch) =>
                            Array.isArray(patch.assigneeIds)
                              ? assign.mutate({ task, userIds: patch.assigneeIds })
                              : update.mutate({ task, patch })
                        : undefined
                    }
                  />
                </Suspense>
              ) : (
                <>
                  {projectTasks.length === 0 ? (
                    <div className="px-8 pt-6 text-center">
                      <h2 className="text-lg font-semibold">No tasks yet</h2>
                      <p className="mt-1 text-muted-foreground">
                        {canCreate
                          ? 'Press C or use "New task" to create the first one.'
                          : "You can read this board. To create tasks, ask an admin to add you to a team."}
                      </p>
                    </div>
                  ) : null}
                  <Board
                    lanes={shownLanes}
                    states={states}
                    labels={labelMap}
                    selectedId={selectedId}
                    onOpen={open}
                    onMove={canEdit ? moveTask : undefined}
                  />
                </>
              )}
            </main>
          </div>
          {selection.size > 0 ? (
            <Suspense fallback={null}>
              <BulkBar
                count={selection.size}
                states={states}
                members={members.data ?? []}
                onApply={applyBulk}
                onClear={clearSelection}
              />
            </Suspense>
          ) : null}
          <Suspense fallback={null}>
            {openTask ? (
              <TaskDialog key={openTask.id} task={openTask} onClose={closeTask} />
            ) : search.task && board.isSuccess && search.task !== dismissed ? (
              <TaskNotFound taskKey={search.task} onClose={closeTask} />
            ) : null}
            {creating ? <CreateTaskDialog open={creating} onOpenChange={setCreating} project={project} /> : null}
            {palette ? (
              <CommandPalette
                open={palette}
                onOpenChange={setPalette}
                tasks={ordered}
                states={states}
                selected={selected}
                picked={picked}
                onOpenTask={open}
                onSetState={(task, stateId) => update.mutate({ task, patch: { stateId } })}
                onBulk={applyBulk}
                projects={props.projects}
                onSwitchProject={props.onSwitchProject}
              />
            ) : null}
          </Suspense>
        </div>
      </CardContext.Provider>
    </MembersContext.Provider>
  );
}
