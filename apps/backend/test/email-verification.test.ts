import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { createApiClient } from "../src/client.ts";
import { ok, refused, startTestBackend, type TestBackend, WEB_ORIGIN } from "./harness.ts";

/**
 * Issue 10 item 8: an invite bound to an address needs that address verified. Mail goes
 * through a real SMTP server on loopback; the link in it is followed as a browser would.
 */
const inbox: ParsedMail[] = [];
const arrivals = new EventTarget();
let smtp: SMTPServer;
let backend: TestBackend;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          inbox.push(mail);
          arrivals.dispatchEvent(new Event("mail"));
          callback();
        })
        .catch(callback);
    },
  });
  const port = await new Promise<number>((resolve) => {
    smtp.listen(0, "127.0.0.1", () => {
      const address = smtp.server.address();
      resolve(typeof address === "object" && address ? address.port : 0);
    });
  });
  backend = await startTestBackend({ smtpUrl: `smtp://127.0.0.1:${port}` });
});
afterAll(async () => {
  await backend.stop();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

/** The mail to `to` number `index` (0-based), waiting up to 10 s for it to arrive. */
function mailTo(to: string, index: number): Promise<ParsedMail> {
  const find = () => inbox.filter((mail) => mail.to && !Array.isArray(mail.to) && mail.to.text === to)[index];
  return new Promise((resolve, reject) => {
    const check = () => {
      const mail = find();
      if (!mail) return;
      clearTimeout(timer);
      arrivals.removeEventListener("mail", check);
      resolve(mail);
    };
    const timer = setTimeout(() => {
      arrivals.removeEventListener("mail", check);
      reject(new Error(`no mail to ${to}`));
    }, 10_000);
    arrivals.addEventListener("mail", check);
    check();
  });
}

function linkIn(mail: ParsedMail): string {
  const link = mail.text?.match(/https?:\/\/\S+verify-email\S+/)?.[0];
  if (!link) throw new Error("no verification link");
  return link;
}

describe("invites bound to an e-mail address", () => {
  test("need the address verified: the mail arrives over SMTP, its link verifies, then the invite works", async () => {
    const owner = await backend.signUp("Owner");
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

    // Sign up with the bound address, as the invite page does, asking to come back to it.
    const signUp = await backend.raw(
      "POST",
      "/api/auth/sign-up/email",
      { email, password: "s3cure-passw0rd", name: "Bound", callbackURL: invitePage },
      { headers: { origin: WEB_ORIGIN } },
    );
    expect(signUp.status).toBe(200);
    // Sign-up never signs in (it must not tell a registered address from a new one): sign in.
    const signIn = await backend.raw(
      "POST",
      "/api/auth/sign-in/email",
      { email, password: "s3cure-passw0rd" },
      { headers: { origin: WEB_ORIGIN } },
    );
    expect(signIn.status).toBe(200);
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const accept = () =>
      createApiClient(backend.url, { headers: { cookie, origin: WEB_ORIGIN } }).api.invites[":code"].accept.$post({
        param: { code: invite.code },
      });

    const first = await mailTo(email, 0);
    expect(first.subject).toBe("Verify your e-mail address for Tandem");
    const unverified = await refused(accept(), 403);
    expect(unverified.error).toMatchObject({ code: "FORBIDDEN", requestId: expect.any(String) });
    expect(unverified.error.message).toContain("Verify your e-mail address");

    // "Resend" on the invite page.
    const resend = await backend.raw(
      "POST",
      "/api/auth/send-verification-email",
      { email, callbackURL: invitePage },
      { headers: { origin: WEB_ORIGIN, cookie } },
    );
    expect(resend.status).toBe(200);
    const second = await mailTo(email, 1);

    // Follow the link (the backend's public URL is localhost:5468; the test server is elsewhere).
    const link = new URL(linkIn(second));
    const verified = await fetch(`${backend.url}${link.pathname}${link.search}`, { redirect: "manual" });
    expect(verified.status).toBe(302);
    expect(verified.headers.get("location")).toBe(invitePage);

    const accepted = await ok(accept(), 200);
    expect(accepted.id).toBe(org.id);
  });
});
