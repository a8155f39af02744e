import { describe, expect, test } from "bun:test";
import { WS_CLOSE } from "@tandem/contracts";
import { errorOf, TEST_PASSWORD, WEB_ORIGIN } from "./harness.ts";
import { linkIn, mailingBackend } from "./smtp-inbox.ts";
import { TestSocket } from "./ws-client.ts";

/**
 * Issue 14: "Forgot password?" end to end. The mail goes through a real SMTP server on
 * loopback; its link is followed as a browser would; the new password ends every session.
 */
const mailing = mailingBackend();

const RESET_PAGE = `${WEB_ORIGIN}/reset-password`;
const post = (path: string, body: unknown, cookie?: string) =>
  mailing.backend.raw("POST", path, body, { headers: { origin: WEB_ORIGIN, ...(cookie ? { cookie } : {}) } });
const signIn = (email: string, password: string) => post("/api/auth/sign-in/email", { email, password });

describe("password reset", () => {
  test("the mailed link leads to the reset page; the new password works, the old one and every old session do not", async () => {
    const user = await mailing.backend.signUp("Forgetful");
    const socket = new TestSocket(mailing.backend.url, { cookie: user.cookie });
    expect((await socket.nextOfType("CONNECTION_STATUS")).data.authenticated).toBe(true);
    expect((await user.api.api.me.$get()).status).toBe(200);

    // An address without an account gets the same answer and no mail (it is asked first, so
    // by the time the real one's mail is here, a mail to it would have been sent too).
    const stranger = `nobody-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const unknown = await post("/api/auth/request-password-reset", { email: stranger, redirectTo: RESET_PAGE });
    const known = await post("/api/auth/request-password-reset", { email: user.email, redirectTo: RESET_PAGE });
    expect(unknown.status).toBe(200);
    expect(known.status).toBe(200);
    expect(unknown.body).toEqual(known.body);

    const mail = await mailing.inbox.mailTo(user.email, 0, "Reset your Tandem password");
    expect(mailing.inbox.received().some((m) => m.to && !Array.isArray(m.to) && m.to.text === stranger)).toBe(false);

    // The link checks the token at the API and sends the browser on to the web app with it.
    const link = new URL(linkIn(mail, "reset-password"));
    const followed = await fetch(`${mailing.backend.url}${link.pathname}${link.search}`, { redirect: "manual" });
    expect(followed.status).toBe(302);
    const landing = new URL(followed.headers.get("location") ?? "");
    expect(`${landing.origin}${landing.pathname}`).toBe(RESET_PAGE);
    const token = landing.searchParams.get("token");
    expect(token).toBeTruthy();

    const newPassword = "a-brand-new-secret-1";
    expect((await post("/api/auth/reset-password", { newPassword, token })).status).toBe(200);

    // Every session of the account ends: REST at once, the open socket within a second.
    expect((await user.api.api.me.$get()).status).toBe(401);
    const closed = await Promise.race([
      socket.closed,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("socket still open after 1 s")), 1000)),
    ]);
    expect(closed.code).toBe(WS_CLOSE.sessionEnded);

    expect((await signIn(user.email, TEST_PASSWORD)).status).toBe(401);
    expect((await signIn(user.email, newPassword)).status).toBe(200);
    // The link works once.
    expect((await post("/api/auth/reset-password", { newPassword: "yet-another-secret-2", token })).status).toBe(400);
  });

  test("a forged or used token is refused with the error shape, and a reset page outside the web app is not accepted", async () => {
    const forged = await post("/api/auth/reset-password", { newPassword: "whatever-secret-3", token: "forged" });
    expect(forged.status).toBe(400);
    expect(errorOf(forged).error.code).toBeString();

    const user = await mailing.backend.signUp("Phished");
    const elsewhere = await post("/api/auth/request-password-reset", {
      email: user.email,
      redirectTo: "https://evil.example/steal",
    });
    expect(elsewhere.status).toBe(403);
    expect(errorOf(elsewhere).error.code).toBeString();
  });
});
