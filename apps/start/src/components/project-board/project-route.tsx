import { useNavigate } from "@tanstack/react-router";
import type { BoardSearch, SetSearch } from "../../lib/board-search.ts";
import { useOrg } from "../../lib/org-context.tsx";
import { pickProject, useProjects } from "../../lib/projects.ts";
import { ProjectBoardPage } from "./board-page.tsx";

/**
 * Resolves the project of a board route: `projectKey` from `/o/:slug/:projectKey`, or, on
 * `/o/:slug`, the last project used in this browser (rendered in place: no redirect).
 */
export function ProjectRoute(props: { projectKey?: string; search: BoardSearch; setSearch: SetSearch }) {
  const org = useOrg();
  const projects = useProjects(org.id);
  const navigate = useNavigate();
  if (projects.isPending) return <p className="p-8 text-muted-foreground">Loading the board…</p>;
  if (!projects.data) {
    return (
      <main className="p-8">
        <h1 className="text-xl font-semibold">The board could not load</h1>
        <p className="mt-2 text-muted-foreground">{projects.error?.message}</p>
      </main>
    );
  }
  const key = props.projectKey?.toUpperCase();
  const project = key
    ? projects.data.find((p) => p.key === key || p.id === props.projectKey)
    : pickProject(org.id, projects.data);
  if (!project) {
    return (
      <main className="p-8">
        <h1 className="text-xl font-semibold">Project not found</h1>
        <p className="mt-2 text-muted-foreground">
          {key ? `There is no project ${key} in ${org.name}.` : `${org.name} has no project yet.`}
        </p>
      </main>
    );
  }
  return (
    <ProjectBoardPage
      key={project.id}
      project={project}
      projects={projects.data}
      search={props.search}
      setSearch={props.setSearch}
      onSwitchProject={(projectKey) =>
        void navigate({
          to: "/o/$slug/$projectKey",
          params: { slug: org.slug, projectKey },
          search: { layout: props.search.layout, group: props.search.group },
        })
      }
    />
  );
}
