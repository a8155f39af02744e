/** `POST /tasks/bulk` (SPEC §13): one patch, many tasks, all or nothing, one event per task. */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { TProjectWithStates, TTask } from "@tandem/contracts";
import { schema } from "@tandem/database";
import { addTestMember, createTestTask } from "@tandem/domain/testing";
import { and, asc, eq, gt } from "drizzle-orm";
import { startTestBackend, type TestBackend, type TestUser } from "./harness.ts";

let backend: TestBackend;
let owner: TestUser;
beforeAll(async () => {
  backend = await startTestBackend();
  owner = await backend.signUp("Owner");
});
afterAll(() => backend.stop());

async function call<T = unknown>(user: TestUser, status: number, method: string, path: string, body?: unknown) {
  const result = await user.raw(method, path, body);
  if (result.status !== status)
    throw new Error(`${method} ${path}: expected ${status}, got ${result.status} ${JSON.stringify(result.body)}`);
  return result.body as T;
}

async function newOrg(user: TestUser, prefix: string): Promise<string> {
  const slug = `bulk-${crypto.randomUUID().slice(0, 8)}`;
  return (await call<{ id: string }>(user, 201, "POST", "/api/orgs", { name: "Bulk", slug, prefix })).id;
}

async function makeTasks(orgId: string, count: number): Promise<TTask[]> {
  const out: TTask[] = [];
  for (let at = 0; at < count; at += 25)
    out.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(25, count - at) }, (_, i) =>
          createTestTask(backend.db, orgId, { title: `B${at + i}` }),
        ),
      )),
    );
  return out;
}

/** Every task row of the org, and its events: what "nothing changed" compares. */
async function snapshot(orgId: string) {
  return JSON.stringify(
    await Promise.all([
      backend.db.select().from(schema.task).where(eq(schema.task.orgId, orgId)).orderBy(asc(schema.task.id)),
      backend.db.select().from(schema.event).where(eq(schema.event.orgId, orgId)).orderBy(asc(schema.event.seq)),
    ]),
  );
}

async function lastSeq(orgId: string): Promise<number> {
  const [row] = await backend.db.select().from(schema.orgCounter).where(eq(schema.orgCounter.orgId, orgId));
  return Number(row?.lastEventSeq ?? 0);
}

test("200 tasks in one call: each gets the patch, a version bump and exactly one UPDATE_TASK", async () => {
  const orgId = await newOrg(owner, "BLK");
  const tasks = await makeTasks(orgId, 200);
  const seq = await lastSeq(orgId);
  const result = await call<{ tasks: TTask[] }>(owner, 200, "POST", `/api/orgs/${orgId}/tasks/bulk`, {
    taskIds: tasks.map((t) => t.id),
    patch: { status: "in_progress", priority: "urgent", dueDate: "2026-12-31" },
  });
  expect(result.tasks.map((t) => t.id)).toEqual(tasks.map((t) => t.id));
  for (const [i, after] of result.tasks.entries()) {
    expect([after.status, after.priority, after.dueDate]).toEqual(["in_progress", "urgent", "2026-12-31"]);
    expect(after.version).toBe((tasks[i]?.version ?? 0) + 1);
  }
  const events = await backend.db
    .select()
    .from(schema.event)
    .where(and(eq(schema.event.orgId, orgId), gt(schema.event.seq, seq)))
    .orderBy(asc(schema.event.seq));
  expect(events).toHaveLength(200);
  expect(new Set(events.map((e) => e.type))).toEqual(new Set(["UPDATE_TASK"]));
  const perTask = new Map<string, number>();
  for (const event of events) {
    const id = (event.payload as { task: TTask }).task.id;
    perTask.set(id, (perTask.get(id) ?? 0) + 1);
  }
  expect([...perTask.values()].every((n) => n === 1)).toBe(true);
  expect(perTask.size).toBe(200);
  // The column keeps the order asked: appended to In progress in the order of the ids.
  const page = await call<{ tasks: TTask[] }>(
    owner,
    200,
    "GET",
    `/api/orgs/${orgId}/tasks?status=in_progress&limit=200`,
  );
  expect(page.tasks.map((t) => t.id)).toEqual(tasks.map((t) => t.id));
});

test("moving to another project takes new numbers there and keeps each task's category", async () => {
  const orgId = await newOrg(owner, "SRC");
  const target = await call<TProjectWithStates>(owner, 201, "POST", `/api/orgs/${orgId}/projects`, {
    name: "Target",
    key: "DST",
  });
  await call(owner, 201, "POST", `/api/orgs/${orgId}/tasks`, { title: "Already there", projectId: "DST" });
  const a = await call<TTask>(owner, 201, "POST", `/api/orgs/${orgId}/tasks`, { title: "A", status: "done" });
  const b = await call<TTask>(owner, 201, "POST", `/api/orgs/${orgId}/tasks`, { title: "B", status: "backlog" });
  const result = await call<{ tasks: TTask[] }>(owner, 200, "POST", `/api/orgs/${orgId}/tasks/bulk`, {
    taskIds: [a.key, b.id],
    patch: { projectId: "DST" },
  });
  expect(result.tasks.map((t) => [t.key, t.status, t.projectId])).toEqual([
    ["DST-2", "done", target.id],
    ["DST-3", "backlog", target.id],
  ]);
  const done = target.states.find((s) => s.category === "completed")?.id;
  expect(result.tasks[0]?.stateId).toBe(done ?? "");
  expect((await call<TTask>(owner, 200, "GET", `/api/orgs/${orgId}/tasks/DST-2`)).id).toBe(a.id);
  await call(owner, 404, "GET", `/api/orgs/${orgId}/tasks/${a.key}`);
});

test("one task the caller may not touch refuses the whole call, and nothing changes", async () => {
  const orgId = await newOrg(owner, "ALL");
  const other = await newOrg(owner, "OTR");
  const mine = await makeTasks(orgId, 5);
  const [foreign] = await makeTasks(other, 1);
  const before = await snapshot(orgId);
  const bulk = (user: TestUser, status: number, body: unknown) =>
    call(user, status, "POST", `/api/orgs/${orgId}/tasks/bulk`, body);
  // A task of another org (even one the caller administers there): 404, all or nothing.
  await bulk(owner, 404, { taskIds: [...mine.map((t) => t.id), foreign?.id], patch: { priority: "high" } });
  await bulk(owner, 404, { taskIds: [mine[0]?.id, "OTR-1"], patch: { priority: "high" } });
  // A member without tasks.edit; one with it but without tasks.assign, changing assignees.
  const viewer = await backend.signUp("Viewer");
  const editor = await backend.signUp("Editor");
  await addTestMember(backend.db, { orgId, userId: viewer.id, permissions: [] });
  await addTestMember(backend.db, { orgId, userId: editor.id, permissions: ["tasks.edit"] });
  await bulk(viewer, 403, { taskIds: mine.map((t) => t.id), patch: { priority: "high" } });
  await bulk(editor, 403, { taskIds: mine.map((t) => t.id), patch: { assigneeIds: [editor.id] } });
  // Bad input: more than 500, an empty patch, an unknown state for the project.
  const many = Array.from({ length: 501 }, (_, i) => `task_${i}`);
  await bulk(owner, 400, { taskIds: many, patch: { priority: "high" } });
  await bulk(owner, 400, { taskIds: [mine[0]?.id], patch: {} });
  await bulk(owner, 400, { taskIds: mine.map((t) => t.id), patch: { stateId: "wst_nope" } });
  expect(await snapshot(orgId)).toBe(before);
  // The editor may change what tasks.edit covers.
  await bulk(editor, 200, { taskIds: mine.map((t) => t.id), patch: { priority: "low" } });
});
