import { QueryClient } from "@tanstack/react-query";
import { createRouter } from "@tanstack/react-router";
import { apiFor } from "./lib/api.ts";
import { prefetchBoard } from "./lib/query-options.ts";
import { routeTree } from "./routeTree.gen";

export type RouterContext = { queryClient: QueryClient };

export function getRouter() {
  // One cache per router (per request on the server, per tab in the browser), shared by the
  // route loaders, which start a page's data while its code loads, and the components.
  const queryClient = new QueryClient({
    defaultOptions: { queries: { staleTime: 30_000, refetchOnWindowFocus: false, retry: 1 } },
  });
  if (typeof document !== "undefined") startBoardData(queryClient);
  return createRouter({ routeTree, context: { queryClient }, scrollRestoration: true, defaultPreload: "intent" });
}

/**
 * A board opened directly (`/o/:slug`): fetch the user and then the board as the entry script
 * runs, while the route's code is still loading, instead of after it (the route loaders do
 * the same on later navigations).
 */
function startBoardData(queryClient: QueryClient) {
  const apiUrl = document.querySelector<HTMLMetaElement>('meta[name="tandem-api-url"]')?.content;
  const match = /^\/o\/([^/]+)(?:\/(?!settings\/?$)([^/]+))?\/?$/.exec(window.location.pathname);
  const slug = match?.[1];
  const projectKey = match?.[2] ? decodeURIComponent(match[2]) : undefined;
  const taskKey = new URLSearchParams(window.location.search).get("task") ?? undefined;
  if (apiUrl && slug)
    void prefetchBoard(queryClient, apiFor(apiUrl), decodeURIComponent(slug), apiUrl, { projectKey, taskKey });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof getRouter>;
  }
}
