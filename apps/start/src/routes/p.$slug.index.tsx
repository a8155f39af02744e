import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { PublicBoardPage } from "../components/public/public-board-page.tsx";
import { validatePublicSearch } from "../lib/public-search.ts";

// The address boards had before projects: the org's first public project's board.
export const Route = createFileRoute("/p/$slug/")({
  validateSearch: validatePublicSearch,
  ssr: false,
  component: FirstPublicBoard,
});

function FirstPublicBoard() {
  const { slug } = Route.useParams();
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  return (
    <PublicBoardPage
      slug={slug}
      taskKey={search.task}
      onOpen={(task) => navigate({ search: { task } })}
      onClose={() => navigate({ search: {} })}
    />
  );
}
