import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { schema } from "@tandem/database";
import { eq } from "drizzle-orm";
import { ok, startTestBackend, type TestBackend, type TestUser, WEB_ORIGIN } from "./harness.ts";
import { TestSocket } from "./ws-client.ts";

let backend: TestBackend;
let owner: TestUser;
let orgId: string;
const statements: string[] = [];
beforeAll(async () => {
  backend = await startTestBackend({ onQuery: (query) => statements.push(query) });
  owner = await backend.signUp("Owner");
  const slug = `sr-${crypto.randomUUID().slice(0, 8)}`;
  orgId = (await ok(owner.api.api.orgs.$post({ json: { name: "Reads", slug, prefix: "SR" } }))).id;
});
afterAll(() => backend.stop());

/** The statements one request sends. */
async function statementsOf(request: () => Promise<unknown>): Promise<string[]> {
  statements.length = 0;
  await request();
  return [...statements];
}

const readsSession = (query: string) => /from "session"/i.test(query);
const readsMember = (query: string) => /"member"/i.test(query);
const readsApiKey = (query: string) => /from "api_key"/i.test(query);

describe("session lookup (16.9)", () => {
  test("an org request reads session, user, membership and seq in one statement", async () => {
    const sent = await statementsOf(async () =>
      expect((await owner.raw("GET", `/api/orgs/${orgId}`)).status).toBe(200),
    );
    expect(sent.filter(readsSession)).toHaveLength(1);
    // The membership came with the session: no second read of it.
    expect(sent.filter(readsMember)).toHaveLength(1);
    expect(sent.find(readsSession)).toMatch(/"member"/);
  });

  test("a request outside orgs reads the session once", async () => {
    const sent = await statementsOf(async () => expect((await owner.raw("GET", "/api/me")).status).toBe(200));
    expect(sent.filter(readsSession)).toHaveLength(1);
  });

  test("a forged or unsigned cookie is anonymous without a database read", async () => {
    const [name, value] = owner.cookie.split("=") as [string, string];
    const token = decodeURIComponent(value).split(".")[0];
    for (const cookie of [`${name}=${token}`, `${name}=${encodeURIComponent(`${token}.${"A".repeat(43)}=`)}`]) {
      const sent = await statementsOf(async () =>
        expect((await backend.raw("GET", "/api/me", undefined, { headers: { cookie } })).status).toBe(401),
      );
      expect(sent.filter(readsSession)).toHaveLength(0);
    }
  });

  test("an expired session is rejected, and a session due for extension is extended", async () => {
    const user = await backend.signUp("Expiring");
    const [row] = await backend.db.select().from(schema.session).where(eq(schema.session.userId, user.id));
    if (!row) throw new Error("no session row");
    // 29 days left of 30: past the one-day update age, so Better Auth extends it.
    const dueAt = new Date(Date.now() + 29 * 24 * 3600 * 1000);
    await backend.db.update(schema.session).set({ expiresAt: dueAt }).where(eq(schema.session.id, row.id));
    expect((await user.raw("GET", "/api/me")).status).toBe(200);
    const [extended] = await backend.db.select().from(schema.session).where(eq(schema.session.id, row.id));
    expect(extended?.expiresAt.getTime()).toBeGreaterThan(dueAt.getTime());

    await backend.db
      .update(schema.session)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.session.id, row.id));
    expect((await user.raw("GET", "/api/me")).status).toBe(401);
    expect((await user.raw("GET", `/api/orgs/${orgId}`)).status).toBe(401);
  });

  test("a non-member gets 404 from the combined read", async () => {
    const stranger = await backend.signUp("Stranger");
    expect((await stranger.raw("GET", `/api/orgs/${orgId}`)).status).toBe(404);
  });

  test("a Bearer request or upgrade reads its key and no cookie session; a cookie request reads no key", async () => {
    const created = await owner.raw(
      "POST",
      `/api/orgs/${orgId}/api-keys`,
      { name: "Reader", permissions: [] },
      { headers: { origin: WEB_ORIGIN } },
    );
    expect(created.status).toBe(201);
    const { key } = created.body as { key: string };
    // The cookie rides along: the key alone decides, the session is never looked up.
    const both = { headers: { authorization: `Bearer ${key}`, cookie: owner.cookie } };
    const rest = await statementsOf(async () =>
      expect((await backend.raw("GET", `/api/orgs/${orgId}`, undefined, both)).status).toBe(200),
    );
    expect(rest.filter(readsSession)).toHaveLength(0);
    expect(rest.filter(readsApiKey).length).toBeGreaterThan(0);

    const upgrade = await statementsOf(async () => {
      const socket = new TestSocket(backend.url, {
        authorization: `Bearer ${key}`,
        cookie: owner.cookie,
        origin: null,
      });
      expect((await socket.opened()).data.authenticated).toBe(true);
      socket.close();
    });
    expect(upgrade.filter(readsSession)).toHaveLength(0);
    expect(upgrade.filter(readsApiKey).length).toBeGreaterThan(0);

    const cookie = await statementsOf(async () =>
      expect((await owner.raw("GET", `/api/orgs/${orgId}`)).status).toBe(200),
    );
    expect(cookie.filter(readsSession)).toHaveLength(1);
    expect(cookie.filter(readsApiKey)).toHaveLength(0);
  });
});
