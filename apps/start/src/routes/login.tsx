import { Button } from "@tandem/ui/components/button";
import { useQueryClient } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { AuthForm } from "../components/auth-form.tsx";
import { useServices } from "../lib/app-context.tsx";
import { optionalStrings } from "../lib/search.ts";

/** Only same-app paths: an open redirect would hand a phished user to another site. */
export const safeRedirect = (value: string | undefined) =>
  value?.startsWith("/") && !value.startsWith("//") ? value : "/";

export const Route = createFileRoute("/login")({
  validateSearch: optionalStrings("redirect"),
  ssr: false,
  component: Login,
});

function Login() {
  const { auth } = useServices();
  const { redirect } = Route.useSearch();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const target = safeRedirect(redirect);
  return (
    <AuthForm
      title="Sign in"
      submitLabel="Sign in"
      fields={[
        { name: "email", label: "E-mail", type: "email", autoComplete: "email" },
        { name: "password", label: "Password", type: "password", autoComplete: "current-password" },
      ]}
      onSubmit={async ({ email = "", password = "" }) => {
        const { error } = await auth.signIn.email({ email, password });
        if (error) return error.message ?? "Could not sign in";
        await queryClient.invalidateQueries();
        await navigate({ to: target });
        return null;
      }}
      extra={
        <Button
          variant="outline"
          className="mt-3 w-full"
          onClick={() => auth.signIn.social({ provider: "github", callbackURL: `${window.location.origin}${target}` })}
        >
          Continue with GitHub
        </Button>
      }
      footer={
        <>
          New here?{" "}
          <Link to="/signup" search={{ redirect }} className="font-medium text-foreground underline">
            Create an account
          </Link>
        </>
      }
    />
  );
}
