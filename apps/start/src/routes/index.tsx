import { createFileRoute, Navigate } from "@tanstack/react-router";
import { CreateOrg } from "../components/create-org.tsx";
import { useMe } from "../lib/queries.ts";
import { RedirectToLogin } from "../lib/redirect.tsx";

export const Route = createFileRoute("/")({ ssr: false, component: Home });

function Home() {
  const me = useMe();
  if (me.isPending) return <p className="p-8 text-muted-foreground">Loading…</p>;
  if (!me.data) return <RedirectToLogin />;
  const first = me.data.orgs[0];
  if (first) return <Navigate to="/o/$slug" params={{ slug: first.slug }} />;
  return <CreateOrg />;
}
