import { createFileRoute, Outlet } from "@tanstack/react-router";
import { OrgContext } from "../lib/org-context.tsx";
import { useMe } from "../lib/queries.ts";
import { RedirectToLogin } from "../lib/redirect.tsx";

/** Resolves the org of `/o/:slug` from the signed-in user's memberships. */
export const Route = createFileRoute("/o/$slug")({ ssr: false, component: OrgLayout });

function OrgLayout() {
  const { slug } = Route.useParams();
  const me = useMe();
  if (me.isPending) return <p className="p-8 text-muted-foreground">Loading…</p>;
  if (!me.data) return <RedirectToLogin />;
  const org = me.data.orgs.find((o) => o.slug === slug);
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
