import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { PublicBoardPage } from "../components/public/public-board-page.tsx";
import { validatePublicSearch } from "../lib/public-search.ts";

export const Route = createFileRoute("/p/$slug/$projectKey")({
  validateSearch: validatePublicSearch,
  ssr: false,
  component: PublicProjectBoard,
});

function PublicProjectBoard() {
  const { slug, projectKey } = Route.useParams();
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  return (
    <PublicBoardPage
      // A new project is a new board: nothing of the last one's state carries over.
      key={projectKey}
      slug={slug}
      projectKey={projectKey}
      taskKey={search.task}
      onOpen={(task) => navigate({ search: { task } })}
      onClose={() => navigate({ search: {} })}
    />
  );
}
