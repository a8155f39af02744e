import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { request } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import type { TCreateTaskInput } from "@tandem/contracts";
import { ok, refused, startTestBackend, type TestBackend, type TestUser } from "./harness.ts";

let backend: TestBackend;
let owner: TestUser;
beforeAll(async () => {
  backend = await startTestBackend();
  owner = await backend.signUp("Owner");
});
afterAll(() => backend.stop());

const org = () => owner.api.api.orgs[":orgId"];
const task = () => org().tasks[":taskId"];

async function newOrg(prefix = "ENG") {
  const created = await ok(
    owner.api.api.orgs.$post({ json: { name: "Tasks", slug: `tasks-${crypto.randomUUID().slice(0, 8)}`, prefix } }),
    201,
  );
  return created.id;
}

function createTask(orgId: string, json: TCreateTaskInput) {
  return ok(org().tasks.$post({ param: { orgId }, json }), 201);
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
  const page = await ok(org().tasks.$get({ param: { orgId }, query: { status } }), 200);
  return page.tasks.map((t) => t.title);
}

describe("tasks", () => {
  test("50 concurrent creates get 50 distinct consecutive numbers, no error", async () => {
    const orgId = await newOrg();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => createTask(orgId, { title: `Concurrent ${i}` })),
    );
    const numbers = results.map((r) => r.number).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(results.map((r) => r.key)).size).toBe(50);
  });

  test("a task is addressable by its key, and a stale PATCH gets 409 with the current task", async () => {
    const orgId = await newOrg("WEB");
    const created = await createTask(orgId, { title: "Original" });
    expect(created.key).toBe("WEB-1");
    expect((await ok(task().$get({ param: { orgId, taskId: "WEB-1" } }), 200)).id).toBe(created.id);
    await refused(task().$get({ param: { orgId, taskId: "OTHER-1" } }), 404);

    const param = { orgId, taskId: created.id };
    const first = await ok(task().$patch({ param, json: { title: "First edit", version: 1 } }), 200);
    expect(first.version).toBe(2);

    const stale = await refused(task().$patch({ param, json: { title: "Lost edit", version: 1 } }), 409);
    expect(stale.error.code).toBe("CONFLICT");
    expect(stale.current).toMatchObject({ id: created.id, title: "First edit", version: 2 });
    expect((await ok(task().$get({ param }))).title).toBe("First edit");
  });

  test("deleting a label or removing an assignee bumps each task's version; the old version gets 409", async () => {
    const orgId = await newOrg();
    const label = await ok(org().labels.$post({ param: { orgId }, json: { name: "gone" } }), 201);
    const invite = await ok(org().invites.$post({ param: { orgId }, json: {} }), 201);
    const joiner = await backend.signUp("Leaver");
    await ok(joiner.api.api.invites[":code"].accept.$post({ param: { code: invite.code } }), 200);
    const created = await createTask(orgId, { title: "Tagged", labelIds: [label.id], assigneeIds: [joiner.id] });
    expect(created.version).toBe(1);
    const param = { orgId, taskId: created.id };

    await ok(org().labels[":id"].$delete({ param: { orgId, id: label.id } }), 200);
    const unlabelled = await ok(task().$get({ param }));
    expect(unlabelled).toMatchObject({ labelIds: [], assigneeIds: [joiner.id], version: 2 });
    const staleAfterLabel = await refused(task().$patch({ param, json: { title: "Lost", version: 1 } }), 409);
    expect(staleAfterLabel.current).toMatchObject({ labelIds: [], version: 2 });

    await ok(org().members[":userId"].$delete({ param: { orgId, userId: joiner.id } }), 200);
    expect(await ok(task().$get({ param }))).toMatchObject({ assigneeIds: [], version: 3 });
    const staleAfterMember = await refused(task().$patch({ param, json: { title: "Lost", version: 2 } }), 409);
    expect(staleAfterMember.current).toMatchObject({ assigneeIds: [], version: 3 });
  });

  test("move between two cards keeps the order after a reload, writing one rank", async () => {
    const orgId = await newOrg();
    const ids: Record<string, string> = {};
    for (const title of ["A", "B", "C"]) ids[title] = (await createTask(orgId, { title, status: "todo" })).id;
    const x = await createTask(orgId, { title: "X", status: "backlog" });
    expect(await column(orgId, "todo")).toEqual(["A", "B", "C"]);
    const move = (taskId: string, json: { status: "todo" | "done"; afterId?: string; beforeId?: string }) =>
      task().move.$post({ param: { orgId, taskId }, json });
    const id = (title: string) => ids[title] ?? "";

    // Into another column, between A and B.
    const moved = await ok(move(x.id, { status: "todo", afterId: ids.A, beforeId: ids.B }), 200);
    expect(moved.status).toBe("todo");
    expect(await column(orgId, "todo")).toEqual(["A", "X", "B", "C"]);

    // Within the column: C to the top (only a beforeId), then A to the bottom (only an afterId).
    await ok(move(id("C"), { status: "todo", beforeId: ids.A }));
    expect(await column(orgId, "todo")).toEqual(["C", "A", "X", "B"]);
    await ok(move(id("A"), { status: "todo", afterId: ids.B }));
    expect(await column(orgId, "todo")).toEqual(["C", "X", "B", "A"]);

    // Only afterId: lands directly after it, before the card that followed.
    await ok(move(id("A"), { status: "todo", afterId: ids.C }));
    expect(await column(orgId, "todo")).toEqual(["C", "A", "X", "B"]);

    // Neighbours in the wrong order or column are refused.
    await refused(move(x.id, { status: "todo", afterId: ids.B, beforeId: ids.C }), 409);
    await refused(move(x.id, { status: "done", afterId: ids.B }), 400);

    const activity = await ok(task().activity.$get({ param: { orgId, taskId: x.id } }));
    expect(activity.map((a) => a.action)).toEqual(["created", "moved"]);
    expect(activity[1]?.changes[0]).toEqual({ field: "status", from: "backlog", to: "todo" });
  });

  test("delete removes the task from the list but keeps its activity", async () => {
    const orgId = await newOrg();
    const doomed = await createTask(orgId, { title: "Doomed" });
    const param = { orgId, taskId: doomed.id };
    await ok(task().$delete({ param }), 200);
    expect((await ok(org().tasks.$get({ param: { orgId }, query: {} }))).tasks).toEqual([]);
    await refused(task().$get({ param }), 404);
    await refused(task().$patch({ param, json: { title: "x", version: 2 } }), 404);
    const activity = await ok(task().activity.$get({ param }), 200);
    expect(activity.map((a) => a.action)).toEqual(["created", "deleted"]);
  });

  test("filters, search and cursor pagination", async () => {
    const orgId = await newOrg("FLT");
    const label = await ok(org().labels.$post({ param: { orgId }, json: { name: "bug" } }));
    await createTask(orgId, {
      title: "Crash on login",
      priority: "urgent",
      labelIds: [label.id],
      assigneeIds: [owner.id],
    });
    await createTask(orgId, { title: "Polish the login page", priority: "low", status: "in_progress" });
    await createTask(orgId, { title: "Write docs", status: "done" });
    const page = (query: Record<string, string>) => ok(org().tasks.$get({ param: { orgId }, query }));
    const list = async (query: Record<string, string>) => (await page(query)).tasks.map((t) => t.title);
    expect(await list({ q: "login" })).toEqual(["Crash on login", "Polish the login page"]);
    expect(await list({ q: "FLT-3" })).toEqual(["Write docs"]);
    expect(await list({ priority: "urgent,low" })).toHaveLength(2);
    expect(await list({ label: label.id })).toEqual(["Crash on login"]);
    expect(await list({ assignee: owner.id })).toEqual(["Crash on login"]);
    expect(await list({ status: "done,in_progress" })).toEqual(["Polish the login page", "Write docs"]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const next: { tasks: { title: string }[]; nextCursor: string | null } = await page(
        cursor ? { limit: "1", cursor } : { limit: "1" },
      );
      seen.push(...next.tasks.map((t) => t.title));
      cursor = next.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(["Crash on login", "Polish the login page", "Write docs"]);
    await refused(org().tasks.$get({ param: { orgId }, query: { cursor: "garbage" } }), 400);

    // Deleting a label strips it from its tasks.
    await ok(org().labels[":id"].$delete({ param: { orgId, id: label.id } }), 200);
    const crash = (await page({ q: "crash" })).tasks[0];
    expect(crash?.labelIds).toEqual([]);
  });

  test("sub-tasks cannot form a cycle, comments are the author's to edit", async () => {
    const orgId = await newOrg();
    const parent = await createTask(orgId, { title: "Parent" });
    const child = await createTask(orgId, { title: "Child", parentId: parent.id });
    expect(child.parentId).toBe(parent.id);
    const cycle = await refused(
      task().$patch({ param: { orgId, taskId: parent.id }, json: { parentId: child.id, version: 1 } }),
      400,
    );
    expect(cycle.error.field).toBe("parentId");

    const other = await backend.signUp("Other");
    const invite = await ok(org().invites.$post({ param: { orgId }, json: {} }));
    await ok(other.api.api.invites[":code"].accept.$post({ param: { code: invite.code } }));
    const param = { orgId, taskId: parent.id };
    const comments = (user: TestUser) => user.api.api.orgs[":orgId"].tasks[":taskId"].comments;
    const mine = await ok(comments(owner).$post({ param, json: { body: "Mine" } }));
    await refused(
      comments(other)[":commentId"].$patch({ param: { ...param, commentId: mine.id }, json: { body: "No" } }),
      403,
    );
    const own = await ok(comments(other).$post({ param, json: { body: "Theirs" } }));
    const edited = await ok(
      comments(other)[":commentId"].$patch({ param: { ...param, commentId: own.id }, json: { body: "Edited" } }),
      200,
    );
    expect(edited.editedAt).toEqual(expect.any(String));
    await ok(comments(other)[":commentId"].$delete({ param: { ...param, commentId: own.id } }), 200);
    const left = await ok(comments(owner).$get({ param }));
    expect(left.map((c) => c.body)).toEqual(["Mine"]);
  });
});

describe("board snapshot caching", () => {
  test("a cached board is never stale: every change moves the ETag and the body", async () => {
    const orgId = await newOrg("SNP");
    await createTask(orgId, { title: "First" });
    const board = (etag?: string) =>
      org().tasks.$get({ param: { orgId }, query: {} }, etag ? { headers: { "if-none-match": etag } } : undefined);
    const firstAnswer = await board();
    const first = await ok(Promise.resolve(firstAnswer), 200);
    const etag = firstAnswer.headers.get("etag") ?? "";
    expect(etag).toMatch(/^W\/"/);
    // Same version: 304 for a client that has it, the same body for one that has not.
    expect((await board(etag)).status).toBe(304);
    expect(await ok(board())).toEqual(first);

    const [card] = first.tasks;
    if (!card) throw new Error("the board has its task");
    const param = { orgId, taskId: card.id };
    await ok(task().$patch({ param, json: { title: "Renamed", version: card.version } }));
    const afterAnswer = await board(etag);
    expect(afterAnswer.status).toBe(200);
    expect(afterAnswer.headers.get("etag")).not.toBe(etag);
    expect((await ok(Promise.resolve(afterAnswer))).tasks[0]?.title).toBe("Renamed");

    // A change that touches tasks indirectly (a label deleted) moves it too.
    const label = await ok(org().labels.$post({ param: { orgId }, json: { name: "x" } }));
    await ok(task().$patch({ param, json: { labelIds: [label.id], version: card.version + 1 } }));
    expect((await ok(board())).tasks[0]?.labelIds).toEqual([label.id]);
    await ok(org().labels[":id"].$delete({ param: { orgId, id: label.id } }));
    expect((await ok(board())).tasks[0]?.labelIds).toEqual([]);
  });

  test("a snapshot is served brotli- or gzip-compressed to clients that accept it, one ETag per representation", async () => {
    const orgId = await newOrg("ZIP");
    for (let i = 0; i < 20; i++) await createTask(orgId, { title: `Card ${i}` });
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
