import { useQueryClient } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { AuthForm } from "../components/auth-form.tsx";
import { authErrorMessage, useAuthClient } from "../lib/auth-client.ts";
import { optionalStrings } from "../lib/search.ts";

// The mailed link goes to the API, which checks the token and sends the browser here with
// `?token=…` (or `?error=INVALID_TOKEN` when it is unknown or expired).
export const Route = createFileRoute("/reset-password")({
  validateSearch: optionalStrings("token", "error"),
  ssr: false,
  component: ResetPassword,
});

function ResetPassword() {
  const auth = useAuthClient();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { token, error } = Route.useSearch();
  const usable = Boolean(token) && !error;
  const footer = (
    <Link to="/forgot-password" className="font-medium text-foreground underline">
      Ask for a new link
    </Link>
  );
  if (!usable) {
    return (
      <AuthForm
        title="Choose a new password"
        submitLabel="Ask for a new link"
        notice="This link is not valid any more: it was used already, or it is older than an hour."
        fields={[]}
        onSubmit={async () => {
          await navigate({ to: "/forgot-password" });
          return null;
        }}
        footer={footer}
      />
    );
  }
  return (
    <AuthForm
      title="Choose a new password"
      submitLabel="Set new password"
      fields={[
        { name: "password", label: "New password (8+ characters)", type: "password", autoComplete: "new-password" },
      ]}
      onSubmit={async ({ password = "" }) => {
        const { error: failed } = await auth.resetPassword({ newPassword: password, token });
        if (failed) return authErrorMessage(failed, "Could not set the new password");
        // Every session of the account ended with the old password: nothing cached is current.
        queryClient.removeQueries();
        await navigate({ to: "/login", search: { reset: "1" }, replace: true });
        return null;
      }}
      footer={footer}
    />
  );
}
