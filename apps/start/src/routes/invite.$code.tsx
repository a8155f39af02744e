import { Button } from "@tandem/ui/components/button";
import { useQueryClient } from "@tanstack/react-query";
import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { ApiFailure, unwrap } from "../lib/api.ts";
import { useServices } from "../lib/app-context.tsx";
import { useAuthClient } from "../lib/auth-client.ts";
import { keys, useMe } from "../lib/queries.ts";
import { RedirectToLogin } from "../lib/redirect.tsx";

export const Route = createFileRoute("/invite/$code")({ ssr: false, component: AcceptInvite });

function AcceptInvite() {
  const { code } = Route.useParams();
  const { api } = useServices();
  const auth = useAuthClient();
  const session = auth.useSession();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [resent, setResent] = useState(false);
  if (me.isPending) return <p className="p-8 text-muted-foreground">Loading…</p>;
  if (!me.data) return <RedirectToLogin />;
  async function accept() {
    try {
      const org = await unwrap(api.api.invites[":code"].accept.$post({ param: { code } }));
      await queryClient.invalidateQueries({ queryKey: keys.me });
      await navigate({ to: "/o/$slug", params: { slug: org.slug } });
    } catch (failure) {
      setError(
        failure instanceof ApiFailure
          ? failure.status === 404
            ? "This invite is no longer valid."
            : failure.message
          : String(failure),
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
      {error && session.data && !session.data.user.emailVerified ? (
        <VerifyEmail email={me.data.user.email} resent={resent} onResent={() => setResent(true)} />
      ) : null}
      <Button className="mt-6" onClick={accept}>
        Join the organization
      </Button>
    </main>
  );
}

/** An invite bound to an address needs it verified: the link in the mail brings the user back here. */
function VerifyEmail({ email, resent, onResent }: { email: string; resent: boolean; onResent: () => void }) {
  const auth = useAuthClient();
  const [failed, setFailed] = useState<string | null>(null);
  async function resend() {
    const result = await auth.sendVerificationEmail({ email, callbackURL: window.location.href });
    if (result.error) setFailed(result.error.message ?? "Could not send the e-mail");
    else onResent();
  }
  return (
    <div className="mt-4 space-y-2 rounded-lg border border-border p-4 text-sm" data-testid="verify-email">
      <p>
        We sent a link to <strong>{email}</strong> when you signed up. Open it to verify your address, then join from
        this page.
      </p>
      {resent ? <p role="status">Sent again: check your inbox.</p> : null}
      {failed ? <p className="text-destructive">{failed}</p> : null}
      <Button variant="outline" size="sm" onClick={() => void resend()}>
        Resend verification e-mail
      </Button>
    </div>
  );
}
