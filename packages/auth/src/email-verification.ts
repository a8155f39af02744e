import type { Mailer } from "@tandem/mail";

/**
 * Better Auth's e-mail verification, sent through the mailer. A verified address is what
 * lets someone accept an invite bound to it; the link signs the person in and returns them
 * to `callbackURL` (the invite page, when they started there).
 */
export function emailVerificationOptions(mailer: Mailer | undefined) {
  if (!mailer) return undefined;
  return {
    sendOnSignUp: true,
    autoSignInAfterVerification: true,
    expiresIn: 24 * 60 * 60,
    sendVerificationEmail: async ({ user, url }: { user: { email: string; name: string }; url: string }) => {
      await mailer.send({
        to: user.email,
        subject: "Verify your e-mail address for Tandem",
        text: [
          `Hello ${user.name},`,
          "",
          "Open this link to confirm that this address is yours:",
          url,
          "",
          "It works for 24 hours. If you did not sign up for Tandem, ignore this message.",
        ].join("\n"),
        link: url,
      });
    },
  };
}
