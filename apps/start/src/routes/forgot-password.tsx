import { createFileRoute, Link } from "@tanstack/react-router";
import { useState } from "react";
import { AuthForm } from "../components/auth-form.tsx";
import { authErrorMessage, useAuthClient } from "../lib/auth-client.ts";

export const Route = createFileRoute("/forgot-password")({
  ssr: false,
  component: ForgotPassword,
});

/** Asks for a reset link; the answer is the same whether the address has an account or not. */
function ForgotPassword() {
  const auth = useAuthClient();
  const [sentTo, setSentTo] = useState<string | null>(null);
  return (
    <AuthForm
      title="Reset your password"
      submitLabel="Send reset link"
      notice={
        sentTo
          ? `If ${sentTo} belongs to an account, a link to choose a new password is on its way. It works for one hour.`
          : undefined
      }
      fields={[{ name: "email", label: "E-mail", type: "email", autoComplete: "email" }]}
      onSubmit={async ({ email = "" }) => {
        const { error } = await auth.requestPasswordReset({
          email,
          redirectTo: `${window.location.origin}/reset-password`,
        });
        if (error) return authErrorMessage(error, "Could not send the link");
        setSentTo(email);
        return null;
      }}
      footer={
        <>
          Remembered it?{" "}
          <Link to="/login" className="font-medium text-foreground underline">
            Sign in
          </Link>
        </>
      }
    />
  );
}
