import type { Mailer } from "@tandem/mail";

/** How long a reset link works. */
export const RESET_LINK_SECONDS = 60 * 60;

/**
 * Better Auth's password reset, sent through the mailer. The link goes to the API, which checks
 * the token and sends the browser on to the web app's reset page with it; setting the new
 * password ends every session of the account (a stolen session dies with the old password).
 * Asking for a reset answers the same whether the address has an account or not.
 */
export function passwordResetOptions(mailer: Mailer | undefined) {
  if (!mailer) return {};
  return {
    resetPasswordTokenExpiresIn: RESET_LINK_SECONDS,
    revokeSessionsOnPasswordReset: true,
    sendResetPassword: async ({ user, url }: { user: { email: string; name: string }; url: string }) => {
      await mailer.send({
        to: user.email,
        subject: "Reset your Tandem password",
        text: [
          `Hello ${user.name},`,
          "",
          "Someone (we hope you) asked to reset the password of your Tandem account. Open this link to choose a new one:",
          url,
          "",
          "It works for one hour, once. Setting a new password signs you out everywhere.",
          "If you did not ask for this, ignore this message: your password stays as it is.",
        ].join("\n"),
        link: url,
      });
    },
  };
}
