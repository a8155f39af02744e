import type { TTag, TTask } from "@tandem/contracts";
import { useCallback, useMemo } from "react";
import { asBoardTask, usePublicBoard, usePublicProjects, usePublicTasks } from "../../lib/public-board.ts";
import { Kanban } from "../board/kanban.tsx";
import { ConnectionIndicator } from "../connection-indicator.tsx";
import { PublicProjectNav } from "./public-project-nav.tsx";
import { PublicTaskDialog } from "./public-task-dialog.tsx";
import { usePublicLive } from "./use-public-live.ts";

function NoPublicBoard() {
  return (
    <main className="p-8">
      <h1 className="text-xl font-semibold">No public board here</h1>
      <p className="mt-2 text-muted-foreground">
        This organization does not publish this board, or the address is wrong.
      </p>
    </main>
  );
}

/**
 * A project's read-only public board (`/p/:slug/:projectKey`; without a key, `/p/:slug`, the
 * org's first public project): the project's states as columns, its public cards, live.
 */
export function PublicBoardPage(props: {
  slug: string;
  projectKey?: string;
  taskKey?: string;
  onOpen: (taskKey: string) => void;
  onClose: () => void;
}) {
  const { slug, taskKey } = props;
  const board = usePublicBoard(slug, props.projectKey);
  const projects = usePublicProjects(slug);
  const project = board.data?.project;
  const tasks = usePublicTasks(slug, project?.key);
  const orgId = board.data?.id;
  const ref = useMemo(
    () => (project ? { slug, projectKey: project.key, projectId: project.id } : null),
    [slug, project],
  );
  const people = useMemo(() => (board.data?.people ?? []).map((p) => p.id), [board.data]);
  const status = usePublicLive(orgId, ref, people);

  const boardTasks = useMemo(() => (tasks.data ?? []).map((t) => asBoardTask(t, orgId ?? "")), [tasks.data, orgId]);
  const lanes = useMemo(() => [{ key: "all", title: "", tasks: boardTasks }], [boardTasks]);
  const labels = useMemo(() => new Map<string, TTag>((board.data?.labels ?? []).map((l) => [l.id, l])), [board.data]);
  const states = board.data?.states;
  // Stable while the page re-renders for its connection status (the columns are memoised).
  const { onOpen } = props;
  const open = useCallback((task: TTask) => onOpen(task.key), [onOpen]);

  if (board.isPending) return <p className="p-8 text-muted-foreground">Loading…</p>;
  if (!board.data || !project || !states) return <NoPublicBoard />;
  return (
    <div className="min-h-screen" data-testid="public-board" data-project-key={project.key}>
      <header className="flex items-center justify-between gap-4 border-b border-border px-4 py-3">
        <div className="min-w-0">
          <h1 className="truncate font-semibold">
            {/* An org's first project is named after it: the name once, then. */}
            {project.name === board.data.name ? board.data.name : `${board.data.name} · ${project.name}`}{" "}
            <span className="font-normal text-muted-foreground">public board</span>
          </h1>
          {project.description ? <p className="truncate text-sm text-muted-foreground">{project.description}</p> : null}
        </div>
        <ConnectionIndicator status={status} />
      </header>
      <PublicProjectNav slug={slug} projects={projects.data?.projects ?? []} currentKey={project.key} />
      <main>
        <Kanban
          lanes={lanes}
          states={states}
          labels={labels}
          selectedId={boardTasks.find((t) => t.key === taskKey)?.id ?? null}
          onOpen={open}
        />
      </main>
      {taskKey ? (
        <PublicTaskDialog
          slug={slug}
          board={board.data}
          card={tasks.data?.find((t) => t.key === taskKey)}
          taskKey={taskKey}
          onClose={props.onClose}
        />
      ) : null}
    </div>
  );
}
