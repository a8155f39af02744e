import { useQueryClient } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { AuthForm } from "../components/auth-form.tsx";
import { authErrorMessage, useAuthClient } from "../lib/auth-client.ts";
import { safeRedirect } from "../lib/redirect.tsx";
import { optionalStrings } from "../lib/search.ts";

export const Route = createFileRoute("/signup")({
  validateSearch: optionalStrings("redirect"),
  ssr: false,
  component: Signup,
});

function Signup() {
  const auth = useAuthClient();
  const { redirect } = Route.useSearch();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  return (
    <AuthForm
      title="Create your account"
      submitLabel="Sign up"
      fields={[
        { name: "name", label: "Name", type: "text", autoComplete: "name" },
        { name: "email", label: "E-mail", type: "email", autoComplete: "email" },
        { name: "password", label: "Password (8+ characters)", type: "password", autoComplete: "new-password" },
      ]}
      onSubmit={async ({ name = "", email = "", password = "" }) => {
        const signedUp = await auth.signUp.email({ name, email, password });
        if (signedUp.error) return authErrorMessage(signedUp.error, "Could not sign up");
        // Sign-up answers the same whether or not the address is registered (it never says
        // which), so it does not sign in: signing in is the next step.
        const signedIn = await auth.signIn.email({ email, password });
        if (signedIn.error) {
          return "Could not sign you in with these details. If you already have an account, sign in instead.";
        }
        queryClient.removeQueries();
        await navigate({ href: safeRedirect(redirect), replace: true });
        return null;
      }}
      footer={
        <>
          Already have an account?{" "}
          <Link to="/login" search={{ redirect }} className="font-medium text-foreground underline">
            Sign in
          </Link>
        </>
      }
    />
  );
}
