import { QueryClientProvider } from "@tanstack/react-query";
import { createRootRouteWithContext, HeadContent, Outlet, Scripts } from "@tanstack/react-router";
import { lazy, type ReactNode, Suspense } from "react";
import { AppProvider } from "../lib/app-context.tsx";
import { getPublicConfig } from "../lib/config.ts";
import { firstLoadScript } from "../lib/first-load.ts";
import { BOARD_PAGE } from "../lib/query-options.ts";
import type { RouterContext } from "../router.tsx";
import appCss from "../styles.css?url";

// Applied before first paint so a dark-mode user never sees a white flash.
const THEME_SCRIPT = `try{var t=localStorage.getItem("tandem-theme");if(t==="dark"||(!t&&matchMedia("(prefers-color-scheme: dark)").matches))document.documentElement.classList.add("dark")}catch(e){}`;

// Toasts are never needed to paint a page: sonner loads after it.
const Toaster = lazy(() => import("@tandem/ui/components/toaster").then((module) => ({ default: module.Toaster })));

export const Route = createRootRouteWithContext<RouterContext>()({
  head: ({ loaderData }) => ({
    meta: [
      { charSet: "utf-8" },
      { name: "viewport", content: "width=device-width, initial-scale=1" },
      { title: "Tandem" },
      // Read by the router before anything renders, to start a board's data at once.
      ...(loaderData ? [{ name: "tandem-api-url", content: loaderData.apiUrl }] : []),
    ],
    links: [
      { rel: "stylesheet", href: appCss },
      { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
      // Every page's first data comes from the API: open that connection while the JS loads.
      ...(loaderData ? [{ rel: "preconnect", href: loaderData.apiUrl, crossOrigin: "use-credentials" as const }] : []),
    ],
  }),
  loader: () => getPublicConfig(),
  staleTime: Number.POSITIVE_INFINITY,
  shellComponent: RootDocument,
  component: Root,
});

function RootDocument({ children }: { children: ReactNode }) {
  const config = Route.useLoaderData();
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* First in the head: an inline script after the stylesheet would wait for it. */}
        {config ? (
          // biome-ignore lint/security/noDangerouslySetInnerHtml: our own function and the server's API URL, JSON-encoded
          <script dangerouslySetInnerHTML={{ __html: firstLoadScript(config.apiUrl, BOARD_PAGE) }} />
        ) : null}
        <HeadContent />
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant, first-paint theme switch */}
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-screen bg-background text-foreground antialiased">
        {children}
        <Scripts />
      </body>
    </html>
  );
}

function Root() {
  const { apiUrl } = Route.useLoaderData();
  const { queryClient } = Route.useRouteContext();
  return (
    <QueryClientProvider client={queryClient}>
      <AppProvider apiUrl={apiUrl}>
        <Outlet />
        <Suspense fallback={null}>
          <Toaster />
        </Suspense>
      </AppProvider>
    </QueryClientProvider>
  );
}
