import { Button } from "@tandem/ui/components/button";
import { useQueryClient } from "@tanstack/react-query";
import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { ApiFailure, unwrap } from "../lib/api.ts";
import { useServices } from "../lib/app-context.tsx";
import { keys, useMe } from "../lib/queries.ts";
import { RedirectToLogin } from "../lib/redirect.tsx";

export const Route = createFileRoute("/invite/$code")({ ssr: false, component: AcceptInvite });

function AcceptInvite() {
  const { code } = Route.useParams();
  const { api } = useServices();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  if (me.isPending) return <p className="p-8 text-muted-foreground">Loading…</p>;
  if (!me.data) return <RedirectToLogin />;
  async function accept() {
    try {
      const org = await unwrap(api.api.invites[":code"].accept.$post({ param: { code } }));
      await queryClient.invalidateQueries({ queryKey: keys.me });
      await navigate({ to: "/o/$slug", params: { slug: org.slug } });
    } catch (failure) {
      setError(
        failure instanceof ApiFailure && failure.status === 404 ? "This invite is no longer valid." : String(failure),
      );
    }
  }
  return (
    <main className="mx-auto max-w-md p-8">
      <h1 className="text-2xl font-semibold">You have been invited</h1>
      <p className="mt-2 text-sm text-muted-foreground">Signed in as {me.data.user.email}.</p>
      {error ? (
        <p role="alert" className="mt-4 text-sm text-destructive">
          {error}
        </p>
      ) : null}
      <Button className="mt-6" onClick={accept}>
        Join the organization
      </Button>
    </main>
  );
}
