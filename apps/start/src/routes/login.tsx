import { Button } from "@tandem/ui/components/button";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { AuthForm } from "../components/auth-form.tsx";
import { unwrap } from "../lib/api.ts";
import { useServices } from "../lib/app-context.tsx";
import { authErrorMessage, useAuthClient } from "../lib/auth-client.ts";
import { safeRedirect } from "../lib/redirect.tsx";
import { optionalStrings } from "../lib/search.ts";

export const Route = createFileRoute("/login")({
  validateSearch: optionalStrings("redirect", "reset"),
  ssr: false,
  component: Login,
});

/** Which sign-in methods the backend offers (GitHub only when OAuth is configured). */
function useAuthConfig() {
  const { api } = useServices();
  return useQuery({
    queryKey: ["auth-config"],
    queryFn: () => unwrap(api.api["auth-config"].$get()),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

function Login() {
  const auth = useAuthClient();
  const { redirect, reset } = Route.useSearch();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const config = useAuthConfig();
  const target = safeRedirect(redirect);
  return (
    <AuthForm
      title="Sign in"
      submitLabel="Sign in"
      notice={reset ? "Your password was changed and every session signed out. Sign in with the new one." : undefined}
      fields={[
        { name: "email", label: "E-mail", type: "email", autoComplete: "email" },
        { name: "password", label: "Password", type: "password", autoComplete: "current-password" },
      ]}
      onSubmit={async ({ email = "", password = "" }) => {
        const { error } = await auth.signIn.email({ email, password });
        if (error) return authErrorMessage(error, "Could not sign in");
        // A new identity: drop what the signed-out app cached (its "not signed in" above all).
        queryClient.removeQueries();
        await navigate({ href: target, replace: true });
        return null;
      }}
      extra={
        config.data?.github ? (
          <Button
            variant="outline"
            className="mt-3 w-full"
            onClick={() =>
              auth.signIn.social({ provider: "github", callbackURL: `${window.location.origin}${target}` })
            }
          >
            Continue with GitHub
          </Button>
        ) : null
      }
      footer={
        <>
          <Link to="/forgot-password" className="font-medium text-foreground underline">
            Forgot password?
          </Link>
          <br />
          New here?{" "}
          <Link to="/signup" search={{ redirect }} className="font-medium text-foreground underline">
            Create an account
          </Link>
        </>
      }
    />
  );
}
