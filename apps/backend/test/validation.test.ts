import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { errorOf, ok, type RawResult, startTestBackend, type TestBackend, type TestUser } from "./harness.ts";

let backend: TestBackend;
let owner: TestUser;
let base: string;
let orgId: string;
let task: { id: string; title: string; version: number };
beforeAll(async () => {
  backend = await startTestBackend({ maxBodyBytes: 64 * 1024 });
  owner = await backend.signUp("Owner");
  const org = await ok(
    owner.api.api.orgs.$post({
      json: {
        name: "Val",
        slug: `val-${crypto.randomUUID().slice(0, 8)}`,
        prefix: "VAL",
      },
    }),
    201,
  );
  orgId = org.id;
  base = `/api/orgs/${orgId}`;
  task = await ok(
    owner.api.api.orgs[":orgId"].tasks.$post({ param: { orgId: org.id }, json: { title: "Keep me" } }),
    201,
  );
});
afterAll(() => backend.stop());

function expectError(result: RawResult, status: number, field?: string) {
  expect(result.status).toBe(status);
  expect(errorOf(result).error).toMatchObject({
    code: expect.any(String),
    message: expect.any(String),
    requestId: expect.any(String),
  });
  // Array and nested fields are named by path: `status.0` names the first status filter.
  if (field) expect(String(errorOf(result).error.field).split(".")[0]).toBe(field);
  expect(JSON.stringify(result.body)).not.toContain("at ");
}

describe("bad input gets a clear 4xx, never a 500, and loses no data", () => {
  test("malformed JSON", async () => {
    expectError(await owner.raw("POST", `${base}/tasks`, '{"title": '), 400);
    expectError(await owner.raw("PATCH", `${base}/tasks/${task.id}`, "not json at all"), 400);
  });

  test("wrong types name the field", async () => {
    expectError(await owner.raw("POST", `${base}/tasks`, { title: 42 }), 400, "title");
    expectError(await owner.raw("POST", `${base}/tasks`, { title: "ok", status: "someday" }), 400, "status");
    expectError(await owner.raw("POST", `${base}/tasks`, { title: "ok", labelIds: "bug" }), 400, "labelIds");
    expectError(await owner.raw("PATCH", `${base}/tasks/${task.id}`, { title: "x", version: "1" }), 400, "version");
    expectError(await owner.raw("PATCH", `${base}/tasks/${task.id}`, { title: "x" }), 400, "version");
    expectError(await owner.raw("POST", "/api/orgs", { name: "x", slug: "Not A Slug", prefix: "ok" }), 400, "slug");
    expectError(await owner.raw("GET", `${base}/tasks?limit=lots`), 400, "limit");
    expectError(await owner.raw("GET", `${base}/tasks?status=nope`), 400, "status");
  });

  test("unknown fields are refused, by name", async () => {
    expectError(await owner.raw("POST", `${base}/tasks`, { title: "ok", orgId: "org_other" }), 400, "orgId");
    expectError(await owner.raw("PATCH", `${base}/tasks/${task.id}`, { version: 1, number: 99 }), 400, "number");
    expectError(await owner.raw("GET", `${base}/tasks?sort=evil`), 400, "sort");
  });

  test("a 10 kB title is refused with the field named", async () => {
    expectError(await owner.raw("POST", `${base}/tasks`, { title: "x".repeat(10_000) }), 400, "title");
    expectError(
      await owner.raw("PATCH", `${base}/tasks/${task.id}`, { title: "x".repeat(10_000), version: 1 }),
      400,
      "title",
    );
  });

  test("an oversize body gets 413", async () => {
    const result = await owner.raw("POST", `${base}/tasks`, { title: "big", description: "x".repeat(200_000) });
    expectError(result, 413);
    expect(errorOf(result).error.code).toEqual("PAYLOAD_TOO_LARGE");
  });

  test("a non-JSON content type is refused, a foreign Origin too", async () => {
    expectError(
      await owner.raw("POST", `${base}/tasks`, "title=hi", {
        headers: { "content-type": "application/x-www-form-urlencoded" },
      }),
      400,
      "content-type",
    );
    expectError(
      await owner.raw("POST", `${base}/tasks`, { title: "csrf" }, { headers: { origin: "https://evil.example" } }),
      403,
    );
  });

  test("unknown routes and ids are 404 in the error shape", async () => {
    expectError(await owner.raw("GET", "/api/nope"), 404);
    expectError(await owner.raw("GET", `${base}/tasks/task_missing`), 404);
    expectError(await owner.raw("GET", `${base}/tasks/VAL-99999999999`), 404);
  });

  test("after all that, the task is untouched and nothing stray was created", async () => {
    const tasks = owner.api.api.orgs[":orgId"].tasks;
    const current = await ok(tasks[":taskId"].$get({ param: { orgId: orgId, taskId: task.id } }), 200);
    expect(current).toMatchObject({ title: "Keep me", version: 1 });
    const all = (await ok(tasks.$get({ param: { orgId: orgId }, query: {} }), 200)).tasks;
    expect(all.map((t) => t.title)).toEqual(["Keep me"]);
  });
});
