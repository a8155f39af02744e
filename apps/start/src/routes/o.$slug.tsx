import { createFileRoute, Link, Outlet } from "@tanstack/react-router";
import { useEffect, useRef } from "react";
import { apiFor } from "../lib/api.ts";
import { type CurrentOrg, OrgContext } from "../lib/org-context.tsx";
import { useOrgDeleted } from "../lib/org-gone.ts";
import { useMe } from "../lib/queries.ts";
import { meQuery } from "../lib/query-options.ts";
import { RedirectToLogin } from "../lib/redirect.tsx";

/** Resolves the org of `/o/:slug` from the signed-in user's memberships. */
export const Route = createFileRoute("/o/$slug")({
  ssr: false,
  // The user is fetched while the page's code loads (not awaited: the layout shows its own
  // loading state and reads the same query). Child routes take the API URL from here.
  loader: async ({ context, parentMatchPromise }) => {
    const apiUrl = (await parentMatchPromise).loaderData?.apiUrl ?? null;
    if (apiUrl) void context.queryClient.prefetchQuery(meQuery(apiFor(apiUrl)));
    return { apiUrl };
  },
  // Once per visit: the queries keep themselves fresh (live updates), not the loader.
  staleTime: Number.POSITIVE_INFINITY,
  component: OrgLayout,
});

function OrgLayout() {
  const { slug } = Route.useParams();
  const me = useMe();
  const org = me.data?.orgs.find((o) => o.slug === slug);
  // The org this tab was showing: if it disappears from /api/me, the user was removed, or
  // the org was deleted (the hub said so before /api/me was fetched again).
  const shown = useRef<CurrentOrg | null>(null);
  useEffect(() => {
    if (org) shown.current = org;
  }, [org]);
  const deleted = useOrgDeleted(shown.current?.id);
  if (me.isPending) return <p className="p-8 text-muted-foreground">Loading…</p>;
  if (!me.data) return <RedirectToLogin />;
  if (!org && shown.current?.slug === slug) return <Gone name={shown.current.name} deleted={deleted} />;
  if (!org) {
    return (
      <main className="p-8">
        <h1 className="text-xl font-semibold">Organization not found</h1>
        <p className="mt-2 text-muted-foreground">It does not exist, or you are not a member.</p>
      </main>
    );
  }
  return (
    <OrgContext.Provider value={org}>
      <Outlet />
    </OrgContext.Provider>
  );
}

function Gone({ name, deleted }: { name: string; deleted: boolean }) {
  return (
    <main className="mx-auto max-w-md p-8">
      <h1 className="text-xl font-semibold">
        {deleted ? "This organization was deleted" : `You were removed from ${name}`}
      </h1>
      <p className="mt-2 text-muted-foreground">
        {deleted
          ? `An administrator deleted ${name} with its board and tasks, for every member.`
          : "An admin removed you from this organization, so its board is no longer available to you."}
      </p>
      <Link to="/" className="mt-4 inline-block text-sm underline">
        Go to your organizations
      </Link>
    </main>
  );
}
