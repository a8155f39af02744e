import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { errorOf, startTestBackend, TEST_PASSWORD, type TestBackend, WEB_ORIGIN } from "./harness.ts";

// Behind a proxy: each test picks its own client address, so tests neither trip nor reset
// each other's limits.
let backend: TestBackend;
let limited: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend({ trustProxy: true });
  limited = await startTestBackend({ trustProxy: true, credentialLimit: { window: 60, max: 8 } });
});
afterAll(async () => {
  await backend.stop();
  await limited.stop();
});

let lastOctet = Math.floor(Math.random() * 200);
const newAddress = () => `203.0.113.${(lastOctet++ % 250) + 1}`;

function signIn(on: TestBackend, ip: string, email: string, password: string) {
  return on.raw(
    "POST",
    "/api/auth/sign-in/email",
    { email, password },
    // A client-supplied first hop is ignored: only the proxy's last hop counts.
    { headers: { origin: WEB_ORIGIN, "x-forwarded-for": `10.0.0.1, ${ip}` } },
  );
}

describe("per account", () => {
  test("five failures lock the account (429, Retry-After, error shape), even for the right password; others behind the same address sign in", async () => {
    const office = newAddress();
    const a = await backend.signUp("Alice");
    const b = await backend.signUp("Bob");
    for (let i = 0; i < 5; i++) expect((await signIn(backend, office, a.email, "wrong-password")).status).toBe(401);

    const locked = await signIn(backend, office, a.email, "wrong-password");
    expect(locked.status).toBe(429);
    expect(errorOf(locked).error).toMatchObject({ code: "RATE_LIMITED", requestId: expect.any(String) });
    expect(errorOf(locked).error.message).toContain("Too many failed sign-ins");
    const retryAfter = Number(locked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);

    // The secure choice: a locked account refuses the right password too, from any address
    // (otherwise a 200 among the 429s would tell a guesser when they hit it).
    expect((await signIn(backend, office, a.email, TEST_PASSWORD)).status).toBe(429);
    expect((await signIn(backend, newAddress(), a.email.toUpperCase(), TEST_PASSWORD)).status).toBe(429);

    // Bob, behind the same address as the failures, is not affected.
    const bob = await signIn(backend, office, b.email, TEST_PASSWORD);
    expect(bob.status).toBe(200);
    expect(bob.headers.get("set-cookie")).toContain("session_token=");
  });

  test("a successful sign-in forgets earlier failures", async () => {
    const ip = newAddress();
    const user = await backend.signUp("Forgetful");
    for (let i = 0; i < 4; i++) expect((await signIn(backend, ip, user.email, "wrong-password")).status).toBe(401);
    expect((await signIn(backend, ip, user.email, TEST_PASSWORD)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await signIn(backend, ip, user.email, "wrong-password")).status).toBe(401);
    expect((await signIn(backend, ip, user.email, TEST_PASSWORD)).status).toBe(200);
  });

  test("parallel guesses cannot overshoot the limit", async () => {
    const user = await backend.signUp("Target");
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () => signIn(backend, newAddress(), user.email, "wrong-password")),
    );
    expect(statuses.filter((r) => r.status === 401)).toHaveLength(5);
    expect(statuses.filter((r) => r.status === 429)).toHaveLength(15);
  });

  test("an unknown address locks the same way (no hint whether it is registered)", async () => {
    const email = `nobody-${crypto.randomUUID()}@example.test`;
    const ip = newAddress();
    for (let i = 0; i < 5; i++) expect((await signIn(backend, ip, email, "wrong-password")).status).toBe(401);
    expect((await signIn(backend, ip, email, "wrong-password")).status).toBe(429);
  });
});

describe("per address", () => {
  test("the address limit answers 429 in the error shape with Retry-After; another address is unaffected", async () => {
    const attacker = newAddress();
    const victims = await Promise.all([limited.signUp("V1"), limited.signUp("V2"), limited.signUp("V3")]);
    // Spraying: a few guesses at each of several accounts, none of them locked by itself.
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) {
      const victim = victims[i % victims.length];
      if (victim) statuses.push((await signIn(limited, attacker, victim.email, "wrong-password")).status);
    }
    expect(statuses.slice(0, 8)).toEqual(Array(8).fill(401));
    const refused = await signIn(limited, attacker, victims[0]?.email ?? "", "wrong-password");
    expect(refused.status).toBe(429);
    expect(errorOf(refused).error).toMatchObject({ code: "RATE_LIMITED", requestId: expect.any(String) });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);

    const elsewhere = await signIn(limited, newAddress(), victims[1]?.email ?? "", TEST_PASSWORD);
    expect(elsewhere.status).toBe(200);
  });
});
