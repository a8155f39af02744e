import { useQueryClient } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { AuthForm } from "../components/auth-form.tsx";
import { useServices } from "../lib/app-context.tsx";
import { optionalStrings } from "../lib/search.ts";
import { safeRedirect } from "./login.tsx";

export const Route = createFileRoute("/signup")({
  validateSearch: optionalStrings("redirect"),
  ssr: false,
  component: Signup,
});

function Signup() {
  const { auth } = useServices();
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
        const { error } = await auth.signUp.email({ name, email, password });
        if (error) return error.message ?? "Could not sign up";
        await queryClient.invalidateQueries();
        await navigate({ to: safeRedirect(redirect) });
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
