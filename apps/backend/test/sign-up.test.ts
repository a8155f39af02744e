import { expect, test } from "bun:test";
import { TEST_PASSWORD, WEB_ORIGIN } from "./harness.ts";
import { mailingBackend } from "./smtp-inbox.ts";

const mailing = mailingBackend();

const signUp = (email: string, password: string) =>
  mailing.backend.raw(
    "POST",
    "/api/auth/sign-up/email",
    { email, password, name: "Someone" },
    { headers: { origin: WEB_ORIGIN } },
  );

/** The body with every leaf replaced by its type: what a caller could tell apart. */
function shape(value: unknown): unknown {
  if (value === null) return "null";
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([x], [y]) => x.localeCompare(y))
        .map(([key, inner]) => [key, shape(inner)]),
    );
  }
  return typeof value;
}

test("sign-up with a registered address answers exactly like a new one, and the owner's account is untouched", async () => {
  const owner = await mailing.backend.signUp("Owner");
  const fresh = await signUp(`new-${crypto.randomUUID()}@example.test`, "another-password");
  const taken = await signUp(owner.email, "another-password");

  expect(taken.status).toBe(fresh.status);
  expect(fresh.status).toBe(200);
  expect(shape(taken.body)).toEqual(shape(fresh.body));
  expect(taken.body).toMatchObject({ user: { email: owner.email } });
  expect(taken.body).not.toMatchObject({ user: { id: owner.id } });
  // Neither signs in: a session for one and not the other would tell them apart.
  expect(fresh.headers.get("set-cookie")).toBeNull();
  expect(taken.headers.get("set-cookie")).toBeNull();

  // The attempt changed nothing: the owner's password still works, the other one does not.
  const signIn = (password: string) =>
    mailing.backend.raw(
      "POST",
      "/api/auth/sign-in/email",
      { email: owner.email, password },
      { headers: { origin: WEB_ORIGIN } },
    );
  expect((await signIn("another-password")).status).toBe(401);
  expect((await signIn(TEST_PASSWORD)).status).toBe(200);

  // The owner is told by e-mail (over SMTP here), with the way back in.
  const mail = await mailing.inbox.mailTo(owner.email, 0, "Someone tried to sign up to Tandem with your address");
  expect(mail.text).toContain(`${WEB_ORIGIN}/login`);
  expect(mail.text).toContain(`${WEB_ORIGIN}/forgot-password`);
});
