import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestBackend, type TestBackend, WEB_ORIGIN } from "./harness.ts";

let backend: TestBackend;
beforeAll(async () => {
  // Behind a proxy: each test client gets its own address, so other tests' sign-ins from
  // 127.0.0.1 neither trip nor reset this limit.
  backend = await startTestBackend({ trustProxy: true });
});
afterAll(() => backend.stop());

test("Better Auth's rate limit stops password guessing per client address", async () => {
  const attacker = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
  const bystander = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
  const attempt = (ip: string) =>
    backend.call(
      "POST",
      "/api/auth/sign-in/email",
      { email: "victim@example.test", password: "guess-guess-guess" },
      // A client-supplied first hop is ignored: only the proxy's last hop counts.
      { headers: { origin: WEB_ORIGIN, "x-forwarded-for": `10.0.0.1, ${ip}` } },
    );
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await attempt(attacker)).status);
  expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
  expect(statuses.at(-1)).toBe(429);
  // Another address is unaffected.
  expect((await attempt(bystander)).status).toBe(401);
});
