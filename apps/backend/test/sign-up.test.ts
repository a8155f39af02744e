import { afterAll, beforeAll, expect, test } from "bun:test";
import { createLogger, type Logger } from "@tandem/util/server";
import { startTestBackend, TEST_PASSWORD, type TestBackend, WEB_ORIGIN } from "./harness.ts";

const logged: { msg: string; fields?: Record<string, unknown> }[] = [];
const quiet = createLogger({}, "error");
const recording: Logger = {
  ...quiet,
  info: (msg, fields) => {
    logged.push({ msg, fields });
  },
  child: () => recording,
};

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend({ logger: recording });
});
afterAll(() => backend.stop());

const signUp = (email: string, password: string) =>
  backend.raw(
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
  const owner = await backend.signUp("Owner");
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
    backend.raw(
      "POST",
      "/api/auth/sign-in/email",
      { email: owner.email, password },
      { headers: { origin: WEB_ORIGIN } },
    );
  expect((await signIn("another-password")).status).toBe(401);
  expect((await signIn(TEST_PASSWORD)).status).toBe(200);

  // The owner would be told by e-mail; until the mailer exists, the hook logs it (without the address).
  const deadline = Date.now() + 2000;
  let entry = logged.find((line) => line.fields?.userId === owner.id);
  while (!entry && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    entry = logged.find((line) => line.fields?.userId === owner.id);
  }
  expect(entry?.msg).toBe("sign-up attempted with a registered address");
});
