import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ok, refused, startTestBackend, type TestBackend, type TestUser } from "./harness.ts";
import { TestSocket } from "./ws-client.ts";

/** Issue 10.11: public responses are paged, capped, cached per seq and rate-limited. */
let backend: TestBackend;
let limited: TestBackend;
let owner: TestUser;
let org: { id: string; slug: string };
const TASKS = 30;
const ONE_MB = 1_000_000;
const sockets: TestSocket[] = [];

/** ~100 kB of text that does not compress to nothing. */
function bigDescription(seed: number): string {
  const words = Array.from({ length: 64 }, (_, i) => `w${(seed * 7919 + i * 104_729).toString(36)}`);
  let text = "";
  while (text.length < 99_900) text += `${words.join(" ")}\n`;
  return text.slice(0, 99_900);
}

const orgOf = (user: TestUser) => user.api.api.orgs[":orgId"];
const publicOrg = (on: TestBackend) => on.api.api.public.orgs[":slug"];

beforeAll(async () => {
  backend = await startTestBackend();
  limited = await startTestBackend({ trustProxy: true, publicRateLimit: { windowMs: 60_000, limit: 5 } });
  owner = await backend.signUp("Owner");
  const slug = `pub-${crypto.randomUUID().slice(0, 8)}`;
  org = await ok(owner.api.api.orgs.$post({ json: { name: "Public", slug, prefix: "PB" } }), 201);
  const param = { orgId: org.id };
  await ok(
    orgOf(owner).$patch({ param, json: { publicBoard: true, publicFields: ["description", "status", "labels"] } }),
  );
  for (let i = 0; i < TASKS; i += 5) {
    await Promise.all(
      Array.from({ length: 5 }, (_, j) =>
        ok(
          orgOf(owner).tasks.$post({
            param,
            json: { title: `Public ${i + j}`, description: bigDescription(i + j), visibility: "public" },
          }),
          201,
        ),
      ),
    );
  }
  await ok(orgOf(owner).tasks.$post({ param, json: { title: "Secret", description: "hidden" } }), 201);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await backend.stop();
  await limited.stop();
});

async function rawGet(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  const text = await response.text();
  return { status: response.status, bytes: Buffer.byteLength(text), text, headers: response.headers };
}

describe("pagination and caps", () => {
  test("the public list is paged, each page ≤ 1 MB with description excerpts; cursors reach every public task once", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const page = await rawGet(`${backend.url}/api/public/orgs/${org.slug}/tasks?${query}`);
      expect(page.status).toBe(200);
      expect(page.bytes).toBeLessThan(ONE_MB);
      const body = JSON.parse(page.text) as {
        tasks: { title: string; description: string; descriptionTruncated?: boolean }[];
        nextCursor: string | null;
      };
      expect(body.tasks.length).toBeLessThanOrEqual(7);
      for (const task of body.tasks) {
        expect(task.description.length).toBeLessThanOrEqual(280);
        expect(task.descriptionTruncated).toBe(true);
        seen.push(task.title);
      }
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(Math.ceil(TASKS / 7));
    expect(seen.sort()).toEqual(Array.from({ length: TASKS }, (_, i) => `Public ${i}`).sort());
    expect(seen).not.toContain("Secret");
  });

  test("the default page of 30 tasks × 100 kB is one small response; the single task route has the whole description", async () => {
    const page = await rawGet(`${backend.url}/api/public/orgs/${org.slug}/tasks`);
    expect(page.status).toBe(200);
    expect(page.bytes).toBeLessThan(50_000);
    const first = JSON.parse(page.text).tasks[0];
    const full = await ok(
      publicOrg(backend).tasks[":number"].$get({ param: { slug: org.slug, number: first.key } }),
      200,
    );
    expect(full.description?.length).toBe(99_900);
    expect(full.descriptionTruncated).toBeUndefined();
    expect(full.description?.startsWith(first.description)).toBe(true);
  });

  test("a limit over 100 or a bad cursor is a 400 in the error shape", async () => {
    const tasks = publicOrg(backend).tasks;
    const tooMany = await refused(tasks.$get({ param: { slug: org.slug }, query: { limit: "1000" } }), 400);
    expect(tooMany.error).toMatchObject({ code: "BAD_REQUEST", requestId: expect.any(String) });
    const badCursor = await refused(tasks.$get({ param: { slug: org.slug }, query: { cursor: "nonsense" } }), 400);
    expect(badCursor.error.code).toBe("BAD_REQUEST");
  });

  test("the members' snapshot page is cut at 1 MB however large the limit; the cursor continues", async () => {
    const titles: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const page = await rawGet(`${backend.url}/api/orgs/${org.id}/tasks?${query}`, { cookie: owner.cookie });
      expect(page.status).toBe(200);
      expect(page.bytes).toBeLessThan(ONE_MB);
      const body = JSON.parse(page.text) as { tasks: { title: string; description: string }[]; nextCursor: string };
      expect(body.tasks.length).toBeGreaterThan(0);
      for (const task of body.tasks) titles.push(task.title);
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor);
    // 31 tasks of ~100 kB each cannot fit in fewer than 4 pages of 1 MB.
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(titles).toHaveLength(TASKS + 1);
    expect(new Set(titles).size).toBe(TASKS + 1);
  });
});

describe("public header", () => {
  test("names what the public fields need: labels when labels are public, assignees' names (never e-mails)", async () => {
    const slug = `hd-${crypto.randomUUID().slice(0, 8)}`;
    const o = await ok(owner.api.api.orgs.$post({ json: { name: "Header", slug, prefix: "HD" } }), 201);
    const param = { orgId: o.id };
    const label = await ok(orgOf(owner).labels.$post({ param, json: { name: "bug", color: "#aa0000" } }));
    await ok(orgOf(owner).categories.$post({ param, json: { name: "Ops" } }));
    await ok(
      orgOf(owner).tasks.$post({
        param,
        json: { title: "Assigned", visibility: "public", labelIds: [label.id], assigneeIds: [owner.id] },
      }),
    );
    await ok(orgOf(owner).$patch({ param, json: { publicBoard: true, publicFields: ["labels", "assignees"] } }));
    const header = await ok(publicOrg(backend).$get({ param: { slug } }), 200);
    expect(header.labels?.map((l) => l.name)).toEqual(["bug"]);
    expect(header.categories).toBeUndefined();
    expect(header.people).toEqual([{ id: owner.id, name: "Owner", image: null }]);
    expect(JSON.stringify(header)).not.toContain("@");

    await ok(orgOf(owner).$patch({ param, json: { publicFields: ["status"] } }));
    const hidden = await ok(publicOrg(backend).$get({ param: { slug } }), 200);
    expect(hidden.labels).toBeUndefined();
    expect(hidden.people).toBeUndefined();
  });
});

describe("caching per seq", () => {
  test("a repeat read is a 304 until the board changes; then the new data is served", async () => {
    const url = `${backend.url}/api/public/orgs/${org.slug}/tasks?limit=5`;
    const first = await rawGet(url);
    const etag = first.headers.get("etag");
    expect(etag).toBeTruthy();
    const again = await rawGet(url, { "if-none-match": etag ?? "" });
    expect(again.status).toBe(304);
    expect(again.bytes).toBe(0);

    const task = JSON.parse(first.text).tasks[0];
    await ok(
      orgOf(owner).tasks[":taskId"].$patch({
        param: { orgId: org.id, taskId: task.id },
        json: { title: "Renamed in public", version: task.version },
      }),
      200,
    );
    const after = await rawGet(url, { "if-none-match": etag ?? "" });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(etag);
    expect(after.text).toContain("Renamed in public");
  });
});

describe("rate limit", () => {
  test("an anonymous address past its limit gets 429 with Retry-After in the error shape; another address does not", async () => {
    const owner2 = await limited.signUp("Limited owner");
    const slug = `rl-${crypto.randomUUID().slice(0, 8)}`;
    const limitedOrg = await ok(owner2.api.api.orgs.$post({ json: { name: "RL", slug, prefix: "RL" } }), 201);
    await ok(orgOf(owner2).$patch({ param: { orgId: limitedOrg.id }, json: { publicBoard: true } }));
    const from = (address: string) => ({ headers: { "x-forwarded-for": address } });
    for (let i = 0; i < 5; i++) await ok(publicOrg(limited).$get({ param: { slug } }, from("203.0.113.7")), 200);
    const answer = await publicOrg(limited).tasks.$get({ param: { slug }, query: {} }, from("203.0.113.7"));
    const limitedOut = await refused(Promise.resolve(answer), 429);
    expect(limitedOut.error).toMatchObject({ code: "RATE_LIMITED", requestId: expect.any(String) });
    expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
    await ok(publicOrg(limited).$get({ param: { slug } }, from("203.0.113.8")), 200);
  });
});

describe("public channel", () => {
  test("live and replayed public events carry description excerpts, not 100 kB", async () => {
    const live = new TestSocket(backend.url);
    sockets.push(live);
    await live.opened();
    await live.subscribe(org.id, "public");
    await ok(
      orgOf(owner).tasks.$post({
        param: { orgId: org.id },
        json: { title: "Live big", description: bigDescription(99), visibility: "public" },
      }),
      201,
    );
    const created = await live.next((m) => m.type === "CREATE_TASK" && m.data.task.title === "Live big");
    expect(created.data.task.description.length).toBe(280);
    expect(created.data.task.descriptionTruncated).toBe(true);

    const replaying = new TestSocket(backend.url);
    sockets.push(replaying);
    await replaying.opened();
    await replaying.subscribe(org.id, "public", 0);
    const replayed = await replaying.next((m) => m.type === "CREATE_TASK" && m.data.task.title === "Live big", 5000);
    expect(replayed.data.task.description).toBe(created.data.task.description);
    const creates = replaying.events().filter((m) => m.type === "CREATE_TASK");
    expect(creates.length).toBe(TASKS + 1);
    for (const m of creates) expect(JSON.stringify(m).length).toBeLessThan(2000);
  });

  test("a resume further back than WS_MAX_REPLAY_EVENTS gets RESYNC instead of a replay", async () => {
    const small = await startTestBackend({ hub: { maxReplayEvents: 10 } });
    try {
      const s = new TestSocket(small.url);
      sockets.push(s);
      await s.opened();
      expect((await s.subscribe(org.id, "public", 0)).type).toBe("SUBSCRIBED");
      const resync = await s.nextOfType("RESYNC");
      expect(resync.data.lastSeq).toBeGreaterThan(10);
      expect(s.events()).toHaveLength(0);
    } finally {
      await small.stop();
    }
  });
});
