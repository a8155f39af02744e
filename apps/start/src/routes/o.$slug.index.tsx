import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { useCallback } from "react";
import { ProjectRoute } from "../components/project-board/project-route.tsx";
import { apiFor } from "../lib/api.ts";
import { type BoardSearch, validateBoardSearch } from "../lib/board-search.ts";
import { prefetchBoard } from "../lib/query-options.ts";

/** `/o/:slug`: the board of the last project used in this browser (or the first project). */
export const Route = createFileRoute("/o/$slug/")({
  validateSearch: validateBoardSearch,
  ssr: false,
  // The board, its labels and members start loading with the user, before this page's code
  // has arrived (not awaited: the page shows its own loading state).
  loader: async ({ context, params, parentMatchPromise }) => {
    const apiUrl = (await parentMatchPromise).loaderData?.apiUrl;
    if (apiUrl) void prefetchBoard(context.queryClient, apiFor(apiUrl), params.slug, apiUrl);
  },
  // Filters and the open task live in the search: changing them must not re-run the loader.
  staleTime: Number.POSITIVE_INFINITY,
  component: OrgBoard,
});

function OrgBoard() {
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const setSearch = useCallback(
    (patch: Partial<BoardSearch>) => navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true }),
    [navigate],
  );
  return <ProjectRoute search={search} setSearch={setSearch} />;
}
