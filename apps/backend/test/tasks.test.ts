import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { request } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { startTestBackend, type TestBackend, type TestUser } from "./harness.ts";

let backend: TestBackend;
let owner: TestUser;
beforeAll(async () => {
  backend = await startTestBackend();
  owner = await backend.signUp("Owner");
});
afterAll(() => backend.stop());

async function newOrg(prefix = "ENG") {
  const res = await owner.call("POST", "/api/orgs", {
    name: "Tasks",
    slug: `tasks-${crypto.randomUUID().slice(0, 8)}`,
    prefix,
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

/** A GET as it comes off the socket (fetch would decompress it). */
function rawGet(path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; bytes: Buffer }>(
    (resolve, reject) => {
      const req = request(`${backend.url}${path}`, { headers: { cookie: owner.cookie, ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }),
        );
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end();
    },
  );
}

async function column(orgId: string, status: string): Promise<string[]> {
  const res = await owner.call("GET", `/api/orgs/${orgId}/tasks?status=${status}`);
  expect(res.status).toBe(200);
  return res.body.tasks.map((t: { title: string }) => t.title);
}

describe("tasks", () => {
  test("50 concurrent creates get 50 distinct consecutive numbers, no error", async () => {
    const orgId = await newOrg();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        owner.call("POST", `/api/orgs/${orgId}/tasks`, { title: `Concurrent ${i}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    const numbers = results.map((r) => r.body.number as number).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(results.map((r) => r.body.key)).size).toBe(50);
  });

  test("a task is addressable by its key, and a stale PATCH gets 409 with the current task", async () => {
    const orgId = await newOrg("WEB");
    const created = (await owner.call("POST", `/api/orgs/${orgId}/tasks`, { title: "Original" })).body;
    expect(created.key).toBe("WEB-1");
    expect((await owner.call("GET", `/api/orgs/${orgId}/tasks/WEB-1`)).body.id).toBe(created.id);
    expect((await owner.call("GET", `/api/orgs/${orgId}/tasks/OTHER-1`)).status).toBe(404);

    const first = await owner.call("PATCH", `/api/orgs/${orgId}/tasks/${created.id}`, {
      title: "First edit",
      version: 1,
    });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(2);

    const stale = await owner.call("PATCH", `/api/orgs/${orgId}/tasks/${created.id}`, {
      title: "Lost edit",
      version: 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe("CONFLICT");
    expect(stale.body.current).toMatchObject({ id: created.id, title: "First edit", version: 2 });
    expect((await owner.call("GET", `/api/orgs/${orgId}/tasks/${created.id}`)).body.title).toBe("First edit");
  });

  test("deleting a label or removing an assignee bumps each task's version; the old version gets 409", async () => {
    const orgId = await newOrg();
    const label = (await owner.call("POST", `/api/orgs/${orgId}/labels`, { name: "gone" })).body;
    const invite = (await owner.call("POST", `/api/orgs/${orgId}/invites`, {})).body;
    const joiner = await backend.signUp("Leaver");
    expect((await joiner.call("POST", `/api/invites/${invite.code}/accept`)).status).toBe(200);
    const created = await owner.call("POST", `/api/orgs/${orgId}/tasks`, {
      title: "Tagged",
      labelIds: [label.id],
      assigneeIds: [joiner.id],
    });
    expect(created.status).toBe(201);
    expect(created.body.version).toBe(1);
    const path = `/api/orgs/${orgId}/tasks/${created.body.id}`;

    expect((await owner.call("DELETE", `/api/orgs/${orgId}/labels/${label.id}`)).status).toBe(200);
    const unlabelled = (await owner.call("GET", path)).body;
    expect(unlabelled).toMatchObject({ labelIds: [], assigneeIds: [joiner.id], version: 2 });
    const staleAfterLabel = await owner.call("PATCH", path, { title: "Lost", version: 1 });
    expect(staleAfterLabel.status).toBe(409);
    expect(staleAfterLabel.body.current).toMatchObject({ labelIds: [], version: 2 });

    expect((await owner.call("DELETE", `/api/orgs/${orgId}/members/${joiner.id}`)).status).toBe(200);
    expect((await owner.call("GET", path)).body).toMatchObject({ assigneeIds: [], version: 3 });
    const staleAfterMember = await owner.call("PATCH", path, { title: "Lost", version: 2 });
    expect(staleAfterMember.status).toBe(409);
    expect(staleAfterMember.body.current).toMatchObject({ assigneeIds: [], version: 3 });
  });

  test("move between two cards keeps the order after a reload, writing one rank", async () => {
    const orgId = await newOrg();
    const ids: Record<string, string> = {};
    for (const title of ["A", "B", "C"]) {
      ids[title] = (await owner.call("POST", `/api/orgs/${orgId}/tasks`, { title, status: "todo" })).body.id;
    }
    const x = (await owner.call("POST", `/api/orgs/${orgId}/tasks`, { title: "X", status: "backlog" })).body;
    expect(await column(orgId, "todo")).toEqual(["A", "B", "C"]);

    // Into another column, between A and B.
    const moved = await owner.call("POST", `/api/orgs/${orgId}/tasks/${x.id}/move`, {
      status: "todo",
      afterId: ids.A,
      beforeId: ids.B,
    });
    expect(moved.status).toBe(200);
    expect(moved.body.status).toBe("todo");
    expect(await column(orgId, "todo")).toEqual(["A", "X", "B", "C"]);

    // Within the column: C to the top (only a beforeId), then A to the bottom (only an afterId).
    await owner.call("POST", `/api/orgs/${orgId}/tasks/${ids.C}/move`, { status: "todo", beforeId: ids.A });
    expect(await column(orgId, "todo")).toEqual(["C", "A", "X", "B"]);
    await owner.call("POST", `/api/orgs/${orgId}/tasks/${ids.A}/move`, { status: "todo", afterId: ids.B });
    expect(await column(orgId, "todo")).toEqual(["C", "X", "B", "A"]);

    // Only afterId: lands directly after it, before the card that followed.
    await owner.call("POST", `/api/orgs/${orgId}/tasks/${ids.A}/move`, { status: "todo", afterId: ids.C });
    expect(await column(orgId, "todo")).toEqual(["C", "A", "X", "B"]);

    // Neighbours in the wrong order or column are refused.
    const wrongOrder = await owner.call("POST", `/api/orgs/${orgId}/tasks/${x.id}/move`, {
      status: "todo",
      afterId: ids.B,
      beforeId: ids.C,
    });
    expect(wrongOrder.status).toBe(409);
    const wrongColumn = await owner.call("POST", `/api/orgs/${orgId}/tasks/${x.id}/move`, {
      status: "done",
      afterId: ids.B,
    });
    expect(wrongColumn.status).toBe(400);

    const activity = (await owner.call("GET", `/api/orgs/${orgId}/tasks/${x.id}/activity`)).body;
    expect(activity.map((a: { action: string }) => a.action)).toEqual(["created", "moved"]);
    expect(activity[1].changes[0]).toEqual({ field: "status", from: "backlog", to: "todo" });
  });

  test("delete removes the task from the list but keeps its activity", async () => {
    const orgId = await newOrg();
    const task = (await owner.call("POST", `/api/orgs/${orgId}/tasks`, { title: "Doomed" })).body;
    const deleted = await owner.call("DELETE", `/api/orgs/${orgId}/tasks/${task.id}`);
    expect(deleted.status).toBe(200);
    expect((await owner.call("GET", `/api/orgs/${orgId}/tasks`)).body.tasks).toEqual([]);
    expect((await owner.call("GET", `/api/orgs/${orgId}/tasks/${task.id}`)).status).toBe(404);
    expect((await owner.call("PATCH", `/api/orgs/${orgId}/tasks/${task.id}`, { title: "x", version: 2 })).status).toBe(
      404,
    );
    const activity = await owner.call("GET", `/api/orgs/${orgId}/tasks/${task.id}/activity`);
    expect(activity.status).toBe(200);
    expect(activity.body.map((a: { action: string }) => a.action)).toEqual(["created", "deleted"]);
  });

  test("filters, search and cursor pagination", async () => {
    const orgId = await newOrg("FLT");
    const label = (await owner.call("POST", `/api/orgs/${orgId}/labels`, { name: "bug" })).body;
    const make = (body: Record<string, unknown>) => owner.call("POST", `/api/orgs/${orgId}/tasks`, body);
    await make({ title: "Crash on login", priority: "urgent", labelIds: [label.id], assigneeIds: [owner.id] });
    await make({ title: "Polish the login page", priority: "low", status: "in_progress" });
    await make({ title: "Write docs", status: "done" });
    const list = async (query: string) =>
      (await owner.call("GET", `/api/orgs/${orgId}/tasks?${query}`)).body.tasks.map((t: { title: string }) => t.title);
    expect(await list("q=login")).toEqual(["Crash on login", "Polish the login page"]);
    expect(await list("q=FLT-3")).toEqual(["Write docs"]);
    expect(await list("priority=urgent,low")).toHaveLength(2);
    expect(await list(`label=${label.id}`)).toEqual(["Crash on login"]);
    expect(await list(`assignee=${owner.id}`)).toEqual(["Crash on login"]);
    expect(await list("status=done,in_progress")).toEqual(["Polish the login page", "Write docs"]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { tasks: { title: string }[]; nextCursor: string | null } = (
        await owner.call("GET", `/api/orgs/${orgId}/tasks?limit=1${cursor ? `&cursor=${cursor}` : ""}`)
      ).body;
      seen.push(...page.tasks.map((t) => t.title));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(["Crash on login", "Polish the login page", "Write docs"]);
    expect((await owner.call("GET", `/api/orgs/${orgId}/tasks?cursor=garbage`)).status).toBe(400);

    // Deleting a label strips it from its tasks.
    expect((await owner.call("DELETE", `/api/orgs/${orgId}/labels/${label.id}`)).status).toBe(200);
    const crash = (await owner.call("GET", `/api/orgs/${orgId}/tasks?q=crash`)).body.tasks[0];
    expect(crash.labelIds).toEqual([]);
  });

  test("sub-tasks cannot form a cycle, comments are the author's to edit", async () => {
    const orgId = await newOrg();
    const parent = (await owner.call("POST", `/api/orgs/${orgId}/tasks`, { title: "Parent" })).body;
    const child = (await owner.call("POST", `/api/orgs/${orgId}/tasks`, { title: "Child", parentId: parent.id })).body;
    expect(child.parentId).toBe(parent.id);
    const cycle = await owner.call("PATCH", `/api/orgs/${orgId}/tasks/${parent.id}`, {
      parentId: child.id,
      version: 1,
    });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.field).toBe("parentId");

    const other = await backend.signUp("Other");
    const invite = (await owner.call("POST", `/api/orgs/${orgId}/invites`, {})).body;
    await other.call("POST", `/api/invites/${invite.code}/accept`);
    const comment = (await owner.call("POST", `/api/orgs/${orgId}/tasks/${parent.id}/comments`, { body: "Mine" })).body;
    expect(
      (await other.call("PATCH", `/api/orgs/${orgId}/tasks/${parent.id}/comments/${comment.id}`, { body: "No" }))
        .status,
    ).toBe(403);
    const own = (await other.call("POST", `/api/orgs/${orgId}/tasks/${parent.id}/comments`, { body: "Theirs" })).body;
    const edited = await other.call("PATCH", `/api/orgs/${orgId}/tasks/${parent.id}/comments/${own.id}`, {
      body: "Edited",
    });
    expect(edited.status).toBe(200);
    expect(edited.body.editedAt).toEqual(expect.any(String));
    expect((await other.call("DELETE", `/api/orgs/${orgId}/tasks/${parent.id}/comments/${own.id}`)).status).toBe(200);
    const comments = (await owner.call("GET", `/api/orgs/${orgId}/tasks/${parent.id}/comments`)).body;
    expect(comments.map((c: { body: string }) => c.body)).toEqual(["Mine"]);
  });
});

describe("board snapshot caching", () => {
  test("a cached board is never stale: every change moves the ETag and the body", async () => {
    const orgId = await newOrg("SNP");
    await owner.call("POST", `/api/orgs/${orgId}/tasks`, { title: "First" });
    const first = await owner.call("GET", `/api/orgs/${orgId}/tasks`);
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^W\/"/);
    // Same version: 304 for a client that has it, the same body for one that has not.
    const notModified = await owner.call("GET", `/api/orgs/${orgId}/tasks`, undefined, {
      headers: { "if-none-match": etag },
    });
    expect(notModified.status).toBe(304);
    expect((await owner.call("GET", `/api/orgs/${orgId}/tasks`)).body).toEqual(first.body);

    const task = first.body.tasks[0];
    await owner.call("PATCH", `/api/orgs/${orgId}/tasks/${task.id}`, { title: "Renamed", version: task.version });
    const after = await owner.call("GET", `/api/orgs/${orgId}/tasks`, undefined, {
      headers: { "if-none-match": etag },
    });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(etag);
    expect(after.body.tasks[0].title).toBe("Renamed");

    // A change that touches tasks indirectly (a label deleted) moves it too.
    const label = (await owner.call("POST", `/api/orgs/${orgId}/labels`, { name: "x" })).body;
    await owner.call("PATCH", `/api/orgs/${orgId}/tasks/${task.id}`, {
      labelIds: [label.id],
      version: task.version + 1,
    });
    expect((await owner.call("GET", `/api/orgs/${orgId}/tasks`)).body.tasks[0].labelIds).toEqual([label.id]);
    await owner.call("DELETE", `/api/orgs/${orgId}/labels/${label.id}`);
    expect((await owner.call("GET", `/api/orgs/${orgId}/tasks`)).body.tasks[0].labelIds).toEqual([]);
  });

  test("a snapshot is served brotli- or gzip-compressed to clients that accept it, one ETag per representation", async () => {
    const orgId = await newOrg("ZIP");
    for (let i = 0; i < 20; i++) await owner.call("POST", `/api/orgs/${orgId}/tasks`, { title: `Card ${i}` });
    const path = `/api/orgs/${orgId}/tasks`;
    const plain = await rawGet(path, { "accept-encoding": "identity" });
    expect(plain.status).toBe(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    const json = JSON.parse(plain.bytes.toString("utf8"));
    expect(json.tasks).toHaveLength(20);

    const br = await rawGet(path, { "accept-encoding": "gzip, deflate, br" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(JSON.parse(brotliDecompressSync(br.bytes).toString("utf8"))).toEqual(json);
    expect(br.bytes.length).toBeLessThan(plain.bytes.length / 3);

    const gzip = await rawGet(path, { "accept-encoding": "gzip, br;q=0" });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(gunzipSync(gzip.bytes).toString("utf8"))).toEqual(json);

    for (const response of [plain, br, gzip]) expect(String(response.headers.vary)).toMatch(/accept-encoding/i);
    const etags = [plain, br, gzip].map((response) => String(response.headers.etag));
    expect(new Set(etags).size).toBe(3);

    // 304 for the representation the client holds; another encoding's tag is not a match.
    const again = await rawGet(path, { "accept-encoding": "br", "if-none-match": String(br.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
    const otherTag = await rawGet(path, { "accept-encoding": "br", "if-none-match": String(plain.headers.etag) });
    expect(otherTag.status).toBe(200);
    expect(otherTag.bytes.equals(br.bytes)).toBe(true);
  });
});
