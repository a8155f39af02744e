import { describe, expect, test } from "bun:test";
import { createApiClient } from "../src/client.ts";
import { ok, refused, WEB_ORIGIN } from "./harness.ts";
import { linkIn, mailingBackend } from "./smtp-inbox.ts";

/**
 * Issue 10 item 8: an invite bound to an address needs that address verified. Mail goes
 * through a real SMTP server on loopback; the link in it is followed as a browser would.
 */
const mailing = mailingBackend();

const VERIFY = "Verify your e-mail address for Tandem";
const mailTo = (to: string, index: number, subject: string) => mailing.inbox.mailTo(to, index, subject);

describe("invites bound to an e-mail address", () => {
  test("need the address verified: the mail arrives over SMTP, its link verifies, then the invite works", async () => {
    const owner = await mailing.backend.signUp("Owner");
    const org = await ok(
      owner.api.api.orgs.$post({
        json: {
          name: "Mail",
          slug: `mail-${crypto.randomUUID().slice(0, 8)}`,
          prefix: "ML",
        },
      }),
      201,
    );
    const email = `bound-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const invite = await ok(
      owner.api.api.orgs[":orgId"].invites.$post({ param: { orgId: org.id }, json: { email } }),
      201,
    );
    const invitePage = `${WEB_ORIGIN}/invite/${invite.code}`;

    // The invite itself is mailed to the address it is bound to, with its link.
    const invited = await mailing.inbox.mailTo(email, 0, "You are invited to Mail on Tandem");
    expect(linkIn(invited, "/invite/")).toBe(invitePage);

    // Sign up with the bound address, as the invite page does, asking to come back to it.
    const signUp = await mailing.backend.raw(
      "POST",
      "/api/auth/sign-up/email",
      { email, password: "s3cure-passw0rd", name: "Bound", callbackURL: invitePage },
      { headers: { origin: WEB_ORIGIN } },
    );
    expect(signUp.status).toBe(200);
    // Sign-up never signs in (it must not tell a registered address from a new one): sign in.
    const signIn = await mailing.backend.raw(
      "POST",
      "/api/auth/sign-in/email",
      { email, password: "s3cure-passw0rd" },
      { headers: { origin: WEB_ORIGIN } },
    );
    expect(signIn.status).toBe(200);
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const accept = () =>
      createApiClient(mailing.backend.url, { headers: { cookie, origin: WEB_ORIGIN } }).api.invites[
        ":code"
      ].accept.$post({
        param: { code: invite.code },
      });

    await mailTo(email, 0, VERIFY);
    const unverified = await refused(accept(), 403);
    expect(unverified.error).toMatchObject({ code: "FORBIDDEN", requestId: expect.any(String) });
    expect(unverified.error.message).toContain("Verify your e-mail address");

    // "Resend" on the invite page.
    const resend = await mailing.backend.raw(
      "POST",
      "/api/auth/send-verification-email",
      { email, callbackURL: invitePage },
      { headers: { origin: WEB_ORIGIN, cookie } },
    );
    expect(resend.status).toBe(200);
    const second = await mailTo(email, 1, VERIFY);

    // Follow the link (the backend's public URL is localhost:5468; the test server is elsewhere).
    const link = new URL(linkIn(second, "verify-email"));
    const verified = await fetch(`${mailing.backend.url}${link.pathname}${link.search}`, { redirect: "manual" });
    expect(verified.status).toBe(302);
    expect(verified.headers.get("location")).toBe(invitePage);

    const accepted = await ok(accept(), 200);
    expect(accepted.id).toBe(org.id);
  });
});
