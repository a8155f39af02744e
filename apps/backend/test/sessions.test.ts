import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { WS_CLOSE } from "@tandem/contracts";
import { errorOf, startTestBackend, TEST_PASSWORD, type TestBackend, WEB_ORIGIN } from "./harness.ts";
import { TestSocket } from "./ws-client.ts";

let a: TestBackend;
let b: TestBackend;
const sockets: TestSocket[] = [];
beforeAll(async () => {
  // Two instances on one database: a revocation on one closes sockets on the other.
  [a, b] = await Promise.all([startTestBackend(), startTestBackend()]);
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await Promise.all([a.stop(), b.stop()]);
});

/** Signs in over HTTP and keeps every cookie the browser would (token and any cache cookie). */
async function signIn(on: TestBackend, email: string): Promise<string> {
  const response = await on.raw(
    "POST",
    "/api/auth/sign-in/email",
    { email, password: TEST_PASSWORD },
    { headers: { origin: WEB_ORIGIN } },
  );
  expect(response.status).toBe(200);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

const me = (on: TestBackend, cookie: string) => on.raw("GET", "/api/me", undefined, { headers: { cookie } });

/** Resolves with the close event, or rejects when the socket is still open after `ms`. */
function closedWithin(socket: TestSocket, ms: number) {
  return Promise.race([
    socket.closed,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms)),
  ]);
}

async function openSocket(on: TestBackend, cookie: string) {
  const socket = new TestSocket(on.url, { cookie });
  sockets.push(socket);
  const status = await socket.nextOfType("CONNECTION_STATUS");
  expect(status.data.authenticated).toBe(true);
  return socket;
}

describe("sign-out and revocation take effect at once", () => {
  test("after sign-out the same cookies get 401 on the next request, and the session's socket is closed", async () => {
    const user = await a.signUp("Leaving");
    const cookie = await signIn(a, user.email);
    expect((await me(a, cookie)).status).toBe(200);
    const socket = await openSocket(a, cookie);

    const out = await a.raw("POST", "/api/auth/sign-out", {}, { headers: { cookie, origin: WEB_ORIGIN } });
    expect(out.status).toBe(200);
    const closed = await closedWithin(socket, 1000);
    expect(closed.code).toBe(WS_CLOSE.sessionEnded);

    // Whoever kept the cookies (a shared computer, a stolen cookie) is out at once.
    const after = await me(a, cookie);
    expect(after.status).toBe(401);
    expect(errorOf(after).error.code).toBe("UNAUTHORIZED");
    expect((await me(b, cookie)).status).toBe(401);
  });

  test("revoking other sessions logs them out on REST and closes their sockets on every instance within 1 s", async () => {
    const user = await a.signUp("Careful");
    const laptop = await signIn(a, user.email);
    const phone = await signIn(a, user.email);
    const phoneOnA = await openSocket(a, phone);
    const phoneOnB = await openSocket(b, phone);
    const laptopOnB = await openSocket(b, laptop);

    const revoked = await a.raw(
      "POST",
      "/api/auth/revoke-other-sessions",
      {},
      { headers: { cookie: laptop, origin: WEB_ORIGIN } },
    );
    expect(revoked.status).toBe(200);
    const [onA, onB] = await Promise.all([closedWithin(phoneOnA, 1000), closedWithin(phoneOnB, 1000)]);
    expect(onA.code).toBe(WS_CLOSE.sessionEnded);
    expect(onB.code).toBe(WS_CLOSE.sessionEnded);
    expect((await me(a, phone)).status).toBe(401);
    expect((await me(b, phone)).status).toBe(401);

    // The session that revoked the others keeps working, socket included.
    expect((await me(b, laptop)).status).toBe(200);
    expect(laptopOnB.readyState).toBe(WebSocket.OPEN);
    laptopOnB.send({ type: "PONG", ts: Date.now() });
    expect(laptopOnB.readyState).toBe(WebSocket.OPEN);
  });
});
