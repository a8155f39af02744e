import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ZTask } from "@tandem/contracts";
import { schema } from "@tandem/database";
import { addTestMember, createTestOrg } from "@tandem/domain/testing";
import { createLogger, type Logger } from "@tandem/util/server";
import { eq } from "drizzle-orm";
import { errorOf, startTestBackend, type TestBackend, type TestUser, WEB_ORIGIN } from "./harness.ts";
import { TestSocket } from "./ws-client.ts";

// Everything either instance logs, at any level: the key must never be in it.
const logged: string[] = [];
const quiet = createLogger({}, "error");
const recording: Logger = {
  debug: (msg, fields) => logged.push(JSON.stringify({ msg, fields })),
  info: (msg, fields) => logged.push(JSON.stringify({ msg, fields })),
  warn: (msg, fields) => logged.push(JSON.stringify({ msg, fields })),
  error: (msg, fields) => {
    logged.push(JSON.stringify({ msg, fields }));
    quiet.error(msg, fields);
  },
  child: () => recording,
};

let a: TestBackend;
let b: TestBackend;
const sockets: TestSocket[] = [];
beforeAll(async () => {
  // Two instances on one database: a key revoked on one closes its sockets on the other.
  [a, b] = await Promise.all([startTestBackend({ logger: recording }), startTestBackend({ logger: recording })]);
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await Promise.all([a.stop(), b.stop()]);
});

const bearer = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
const withKey = (on: TestBackend, key: string, method: string, path: string, body?: unknown) =>
  on.raw(method, path, body, bearer(key));

async function adminWithOrg(on: TestBackend) {
  const admin = await on.signUp("Admin");
  const org = await createTestOrg(on.db, { ownerId: admin.id });
  return { admin, org };
}

async function createKey(
  user: TestUser,
  orgId: string,
  input: { name: string; permissions: string[]; expiresAt?: string | null },
) {
  const created = await user.raw("POST", `/api/orgs/${orgId}/api-keys`, input, { headers: { origin: WEB_ORIGIN } });
  expect(created.status).toBe(201);
  return created.body as { key: string; apiKey: { id: string; prefix: string; name: string } };
}

function closedWithin(socket: TestSocket, ms: number) {
  return Promise.race([
    socket.closed,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms)),
  ]);
}

async function keySocket(on: TestBackend, key: string) {
  const socket = new TestSocket(on.url, { authorization: `Bearer ${key}`, origin: null });
  sockets.push(socket);
  const status = await socket.opened();
  expect(status.data.authenticated).toBe(true);
  return socket;
}

describe("API keys", () => {
  test("create → Bearer calls with the key's permissions only → revoke: 401 and its socket closed within 1 s", async () => {
    const { admin, org } = await adminWithOrg(a);
    const { key, apiKey } = await createKey(admin, org.id, {
      name: "CI",
      permissions: ["content.manageLabels", "tasks.create"],
    });
    expect(key).toMatch(/^tdm_[A-Za-z0-9_-]{40,}$/);
    expect(apiKey.prefix).toBe(key.slice(0, 12));

    // Member-level routes and the key's own permission work; anything else is 403.
    expect((await withKey(a, key, "GET", `/api/orgs/${org.id}/tasks`)).status).toBe(200);
    expect((await withKey(a, key, "POST", `/api/orgs/${org.id}/labels`, { name: "from-ci" })).status).toBe(201);
    const category = await withKey(a, key, "POST", `/api/orgs/${org.id}/categories`, { name: "nope" });
    expect(category.status).toBe(403);
    expect(errorOf(category).error.code).toBe("FORBIDDEN");
    expect((await withKey(a, key, "GET", `/api/orgs/${org.id}/api-keys`)).status).toBe(403);
    // Outside an org a key is nobody.
    expect((await withKey(a, key, "GET", "/api/me")).status).toBe(401);

    // A server-side client follows the event stream on the other instance.
    const socket = await keySocket(b, key);
    expect((await socket.subscribe(org.id, "tasks")).type).toBe("SUBSCRIBED");
    expect((await socket.subscribe(org.id, "admin")).data.code).toBe("FORBIDDEN");

    // The key acts as "API key CI", on behalf of its creator, in activity and events.
    const created = await withKey(a, key, "POST", `/api/orgs/${org.id}/tasks`, { title: "Made by CI" });
    expect(created.status).toBe(201);
    const task = ZTask.parse(created.body);
    const event = await socket.next((m) => m.type === "CREATE_TASK" && m.data.task.id === task.id);
    expect(event.meta.seq).toBeGreaterThan(0);
    const activity = await withKey(a, key, "GET", `/api/orgs/${org.id}/tasks/${task.id}/activity`);
    expect((activity.body as unknown[])[0]).toMatchObject({
      actorType: "apiKey",
      actorId: admin.id,
      actorKey: { id: apiKey.id, name: "CI" },
    });
    const events = await admin.raw("GET", `/api/orgs/${org.id}/events?after=0`);
    const inLog = (events.body as { events: { seq: number }[] }).events.find((e) => e.seq === event.meta.seq);
    expect(inLog).toMatchObject({ actorId: admin.id, actorKey: { id: apiKey.id, name: "CI" } });

    const revoked = await admin.raw("DELETE", `/api/orgs/${org.id}/api-keys/${apiKey.id}`, undefined, {
      headers: { origin: WEB_ORIGIN },
    });
    expect(revoked.status).toBe(200);
    const closed = await closedWithin(socket, 1000);
    expect(closed.code).toBe(4401);
    const after = await withKey(b, key, "GET", `/api/orgs/${org.id}/tasks`);
    expect(after.status).toBe(401);
    expect(errorOf(after).error.code).toBe("UNAUTHORIZED");
    // A revoked key cannot open a socket either.
    const refused = new TestSocket(b.url, { authorization: `Bearer ${key}`, origin: null });
    sockets.push(refused);
    expect((await refused.closed).code).not.toBe(1000);

    // The list shows when it was used and that it is revoked, never the key.
    const list = await admin.raw("GET", `/api/orgs/${org.id}/api-keys`);
    expect(list.status).toBe(200);
    const [listed] = list.body as { lastUsedAt: string | null; revokedAt: string | null }[];
    expect(listed).toMatchObject({ id: apiKey.id, name: "CI" });
    expect(listed?.lastUsedAt).not.toBeNull();
    expect(listed?.revokedAt).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toContain(key);
    expect(JSON.stringify(revoked.body)).not.toContain(key);
    expect(JSON.stringify(events.body)).not.toContain(key);
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.filter((line) => line.includes(key))).toEqual([]);
  });

  test("an expired key is refused with 401", async () => {
    const { admin, org } = await adminWithOrg(a);
    const { key, apiKey } = await createKey(admin, org.id, {
      name: "Short-lived",
      permissions: [],
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect((await withKey(a, key, "GET", `/api/orgs/${org.id}/tasks`)).status).toBe(200);
    await a.db
      .update(schema.apiKey)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.apiKey.id, apiKey.id));
    const expired = await withKey(a, key, "GET", `/api/orgs/${org.id}/tasks`);
    expect(expired.status).toBe(401);
    expect(errorOf(expired).error.code).toBe("UNAUTHORIZED");
    // An expiry in the past is refused at creation.
    const past = await admin.raw(
      "POST",
      `/api/orgs/${org.id}/api-keys`,
      { name: "Old", permissions: [], expiresAt: new Date(Date.now() - 1000).toISOString() },
      { headers: { origin: WEB_ORIGIN } },
    );
    expect(past.status).toBe(400);
  });

  test("a key works in its own org only: another org's routes are 404, even where its creator is a member", async () => {
    const { admin, org } = await adminWithOrg(a);
    const other = await createTestOrg(a.db, { ownerId: admin.id });
    const { key } = await createKey(admin, org.id, { name: "Scoped", permissions: ["admin.administrator"] });
    const elsewhere = await withKey(a, key, "GET", `/api/orgs/${other.id}/tasks`);
    expect(elsewhere.status).toBe(404);
    expect(errorOf(elsewhere).error.code).toBe("NOT_FOUND");
    const socket = await keySocket(a, key);
    expect((await socket.subscribe(other.id, "tasks")).data.code).toBe("NOT_FOUND");
    expect((await socket.subscribe(org.id, "admin")).type).toBe("SUBSCRIBED");
    // Unknown keys and malformed bearer tokens are 401, not 500.
    expect((await withKey(a, "tdm_not-a-key", "GET", `/api/orgs/${org.id}/tasks`)).status).toBe(401);
    expect((await withKey(a, "something-else", "GET", `/api/orgs/${org.id}/tasks`)).status).toBe(401);
  });

  test("nobody grants a key what they do not hold, and a key holds no more than its creator does now", async () => {
    const { admin, org } = await adminWithOrg(a);
    const settingsAdmin = await a.signUp("Settings admin");
    await addTestMember(a.db, { orgId: org.id, userId: settingsAdmin.id, permissions: ["admin.manageSettings"] });
    const refused = await settingsAdmin.raw(
      "POST",
      `/api/orgs/${org.id}/api-keys`,
      { name: "Too much", permissions: ["content.manageLabels"] },
      { headers: { origin: WEB_ORIGIN } },
    );
    expect(refused.status).toBe(403);
    const { key } = await createKey(settingsAdmin, org.id, { name: "Enough", permissions: ["admin.manageSettings"] });
    expect((await withKey(a, key, "GET", `/api/orgs/${org.id}/api-keys`)).status).toBe(200);
    // The creator leaves the org: the key stops working.
    const removed = await admin.raw("DELETE", `/api/orgs/${org.id}/members/${settingsAdmin.id}`, undefined, {
      headers: { origin: WEB_ORIGIN },
    });
    expect(removed.status).toBe(200);
    expect((await withKey(a, key, "GET", `/api/orgs/${org.id}/tasks`)).status).toBe(401);
  });

  test("requests past the per-key rate limit get 429 in the error shape with Retry-After", async () => {
    const limited = await startTestBackend({ apiKeyRateLimit: { window: 60, max: 3 } });
    try {
      const { admin, org } = await adminWithOrg(limited);
      const { key } = await createKey(admin, org.id, { name: "Busy", permissions: [] });
      const { key: otherKey } = await createKey(admin, org.id, { name: "Quiet", permissions: [] });
      for (let i = 0; i < 3; i += 1) {
        expect((await withKey(limited, key, "GET", `/api/orgs/${org.id}/tasks`)).status).toBe(200);
      }
      const over = await withKey(limited, key, "GET", `/api/orgs/${org.id}/tasks`);
      expect(over.status).toBe(429);
      expect(errorOf(over).error.code).toBe("RATE_LIMITED");
      expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
      // Per key: another key, and the session, are not limited by it.
      expect((await withKey(limited, otherKey, "GET", `/api/orgs/${org.id}/tasks`)).status).toBe(200);
      expect((await admin.raw("GET", `/api/orgs/${org.id}/tasks`)).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});
