import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestBackend, type TestBackend, type TestUser } from "./harness.ts";
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

beforeAll(async () => {
  backend = await startTestBackend();
  limited = await startTestBackend({ trustProxy: true, publicRateLimit: { windowMs: 60_000, limit: 5 } });
  owner = await backend.signUp("Owner");
  const slug = `pub-${crypto.randomUUID().slice(0, 8)}`;
  org = (await owner.call("POST", "/api/orgs", { name: "Public", slug, prefix: "PB" })).body;
  await owner.call("PATCH", `/api/orgs/${org.id}`, {
    publicBoard: true,
    publicFields: ["description", "status", "labels"],
  });
  for (let i = 0; i < TASKS; i += 5) {
    await Promise.all(
      Array.from({ length: 5 }, (_, j) =>
        owner.call("POST", `/api/orgs/${org.id}/tasks`, {
          title: `Public ${i + j}`,
          description: bigDescription(i + j),
          visibility: "public",
        }),
      ),
    );
  }
  await owner.call("POST", `/api/orgs/${org.id}/tasks`, { title: "Secret", description: "hidden" });
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
    const full = await backend.call("GET", `/api/public/orgs/${org.slug}/tasks/${first.key}`);
    expect(full.status).toBe(200);
    expect(full.body.description.length).toBe(99_900);
    expect(full.body.descriptionTruncated).toBeUndefined();
    expect(full.body.description.startsWith(first.description)).toBe(true);
  });

  test("a limit over 100 or a bad cursor is a 400 in the error shape", async () => {
    const tooMany = await backend.call("GET", `/api/public/orgs/${org.slug}/tasks?limit=1000`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatchObject({ code: "BAD_REQUEST", requestId: expect.any(String) });
    const badCursor = await backend.call("GET", `/api/public/orgs/${org.slug}/tasks?cursor=nonsense`);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.code).toBe("BAD_REQUEST");
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
    const o = (await owner.call("POST", "/api/orgs", { name: "Header", slug, prefix: "HD" })).body;
    const label = (await owner.call("POST", `/api/orgs/${o.id}/labels`, { name: "bug", color: "#aa0000" })).body;
    await owner.call("POST", `/api/orgs/${o.id}/categories`, { name: "Ops" });
    await owner.call("POST", `/api/orgs/${o.id}/tasks`, {
      title: "Assigned",
      visibility: "public",
      labelIds: [label.id],
      assigneeIds: [owner.id],
    });
    await owner.call("PATCH", `/api/orgs/${o.id}`, { publicBoard: true, publicFields: ["labels", "assignees"] });
    const header = await backend.call("GET", `/api/public/orgs/${slug}`);
    expect(header.status).toBe(200);
    expect(header.body.labels.map((l: { name: string }) => l.name)).toEqual(["bug"]);
    expect(header.body.categories).toBeUndefined();
    expect(header.body.people).toEqual([{ id: owner.id, name: "Owner", image: null }]);
    expect(JSON.stringify(header.body)).not.toContain("@");

    await owner.call("PATCH", `/api/orgs/${o.id}`, { publicFields: ["status"] });
    const hidden = await backend.call("GET", `/api/public/orgs/${slug}`);
    expect(hidden.body.labels).toBeUndefined();
    expect(hidden.body.people).toBeUndefined();
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
    const patched = await owner.call("PATCH", `/api/orgs/${org.id}/tasks/${task.id}`, {
      title: "Renamed in public",
      version: task.version,
    });
    expect(patched.status).toBe(200);
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
    const limitedOrg = (await owner2.call("POST", "/api/orgs", { name: "RL", slug, prefix: "RL" })).body;
    await owner2.call("PATCH", `/api/orgs/${limitedOrg.id}`, { publicBoard: true });
    const from = (address: string) => ({ headers: { "x-forwarded-for": address } });
    for (let i = 0; i < 5; i++) {
      expect((await limited.call("GET", `/api/public/orgs/${slug}`, undefined, from("203.0.113.7"))).status).toBe(200);
    }
    const refused = await limited.call("GET", `/api/public/orgs/${slug}/tasks`, undefined, from("203.0.113.7"));
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: "RATE_LIMITED", requestId: expect.any(String) });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const other = await limited.call("GET", `/api/public/orgs/${slug}`, undefined, from("203.0.113.8"));
    expect(other.status).toBe(200);
  });
});

describe("public channel", () => {
  test("live and replayed public events carry description excerpts, not 100 kB", async () => {
    const live = new TestSocket(backend.url);
    sockets.push(live);
    await live.opened();
    await live.subscribe(org.id, "public");
    await owner.call("POST", `/api/orgs/${org.id}/tasks`, {
      title: "Live big",
      description: bigDescription(99),
      visibility: "public",
    });
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
