import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { useCallback } from "react";
import { ProjectRoute } from "../components/project-board/project-route.tsx";
import { apiFor } from "../lib/api.ts";
import { type BoardSearch, validateBoardSearch } from "../lib/board-search.ts";
import { prefetchBoard } from "../lib/query-options.ts";

/** `/o/:slug/:projectKey`: a project's board (`?task=`, `?view=`, `?group=`, filters). */
export const Route = createFileRoute("/o/$slug/$projectKey")({
  validateSearch: validateBoardSearch,
  ssr: false,
  loader: async ({ context, params, parentMatchPromise }) => {
    const apiUrl = (await parentMatchPromise).loaderData?.apiUrl;
    if (apiUrl)
      void prefetchBoard(context.queryClient, apiFor(apiUrl), params.slug, apiUrl, { projectKey: params.projectKey });
  },
  staleTime: Number.POSITIVE_INFINITY,
  component: ProjectBoard,
});

function ProjectBoard() {
  const { projectKey } = Route.useParams();
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const setSearch = useCallback(
    (patch: Partial<BoardSearch>) => navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true }),
    [navigate],
  );
  return <ProjectRoute projectKey={projectKey} search={search} setSearch={setSearch} />;
}
