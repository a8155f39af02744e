import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TBlockingPairs, TEvent, TTask, TTaskRelation } from "@tandem/contracts";
import { addTestMember } from "@tandem/domain/testing";
import { as, type Call, errorOf, expectStatus, startTestBackend, type TestBackend, type TestUser } from "./harness.ts";

let backend: TestBackend;
let owner: TestUser;
beforeAll(async () => {
  backend = await startTestBackend();
  owner = await backend.signUp("Owner");
});
afterAll(() => backend.stop());

async function newOrg(call: Call, prefix: string): Promise<string> {
  const slug = `rel-${crypto.randomUUID().slice(0, 8)}`;
  return (expectStatus(await call("POST", "/api/orgs", { name: "Relations", slug, prefix }), 201) as { id: string }).id;
}

async function newTask(call: Call, orgId: string, title: string, status?: string): Promise<TTask> {
  return expectStatus(await call("POST", `/api/orgs/${orgId}/tasks`, { title, status }), 201) as TTask;
}

const relations = (orgId: string, taskId: string) => `/api/orgs/${orgId}/tasks/${taskId}/relations`;

async function relate(call: Call, orgId: string, taskId: string, type: string, other: string, status = 201) {
  return expectStatus(await call("POST", relations(orgId, taskId), { type, taskId: other }), status);
}

async function listOf(call: Call, orgId: string, taskId: string): Promise<TTaskRelation[]> {
  return expectStatus(await call("GET", relations(orgId, taskId)), 200) as TTaskRelation[];
}

async function eventsAfter(call: Call, orgId: string, after: number): Promise<TEvent[]> {
  return (expectStatus(await call("GET", `/api/orgs/${orgId}/events?after=${after}`), 200) as { events: TEvent[] })
    .events;
}

async function lastSeq(call: Call, orgId: string): Promise<number> {
  return (expectStatus(await call("GET", `/api/orgs/${orgId}/events?after=0&limit=1`), 200) as { lastSeq: number })
    .lastSeq;
}

describe("task relations", () => {
  test("blocked_by is stored once and read from both sides; the board's pairs say who is blocked", async () => {
    const call = as(owner);
    const orgId = await newOrg(call, "REL");
    const a = await newTask(call, orgId, "Blocker");
    const b = await newTask(call, orgId, "Blocked");
    const before = await lastSeq(call, orgId);

    // Named by key: B is blocked by A.
    const created = (await relate(call, orgId, b.id, "blocked_by", a.key)) as TTaskRelation;
    expect(created).toMatchObject({ type: "blocked_by", taskId: b.id, relatedTaskId: a.id, relatedTaskKey: a.key });

    expect(await listOf(call, orgId, a.id)).toMatchObject([
      { id: created.id, type: "blocks", relatedTaskId: b.id, relatedTaskTitle: "Blocked" },
    ]);
    expect(await listOf(call, orgId, b.key)).toMatchObject([
      { id: created.id, type: "blocked_by", relatedTaskId: a.id },
    ]);

    const events = await eventsAfter(call, orgId, before);
    expect(events.map((e) => e.type)).toEqual(["CREATE_RELATION"]);
    expect(events[0]?.payload).toMatchObject({
      relation: { type: "blocked_by", taskId: b.id },
      inverse: { type: "blocks", taskId: a.id, relatedTaskId: b.id },
    });

    const pairs = expectStatus(await call("GET", `/api/orgs/${orgId}/relations`), 200) as TBlockingPairs;
    expect(pairs.pairs).toEqual([
      {
        id: created.id,
        blockerId: a.id,
        blockerKey: a.key,
        blockerStatus: a.status,
        blockedId: b.id,
        blockedKey: b.key,
        active: true,
      },
    ]);
    // A finished blocker blocks no more.
    expectStatus(await call("PATCH", `/api/orgs/${orgId}/tasks/${a.id}`, { status: "done", version: a.version }), 200);
    const after = expectStatus(await call("GET", `/api/orgs/${orgId}/relations`), 200) as TBlockingPairs;
    expect(after.pairs[0]).toMatchObject({ blockerStatus: "done", active: false });
  });

  test("self-relation 400, duplicates and blocking loops 409, relates stored once", async () => {
    const call = as(owner);
    const orgId = await newOrg(call, "DUP");
    const [a, b, c] = [
      await newTask(call, orgId, "A"),
      await newTask(call, orgId, "B"),
      await newTask(call, orgId, "C"),
    ];
    if (!a || !b || !c) throw new Error("tasks missing");
    expect(errorOf(await call("POST", relations(orgId, a.id), { type: "relates", taskId: a.key })).error.code).toBe(
      "BAD_REQUEST",
    );
    await relate(call, orgId, a.id, "relates", b.id);
    await relate(call, orgId, b.id, "relates", a.id, 409);
    await relate(call, orgId, a.id, "blocks", b.id);
    await relate(call, orgId, a.id, "blocks", b.id, 409);
    await relate(call, orgId, b.id, "blocks", a.id, 409);
    await relate(call, orgId, b.id, "blocks", c.id);
    // A blocks B blocks C: C blocks A would close the loop.
    await relate(call, orgId, c.id, "blocks", a.id, 409);
    await relate(call, orgId, a.id, "blocked_by", c.id, 409);
    await relate(call, orgId, c.id, "duplicate_of", a.id);
    expect((await listOf(call, orgId, a.id)).map((r) => r.type).sort()).toEqual(["blocks", "duplicated_by", "relates"]);
    // Bad input is a 400 in the error shape, never a 500.
    expect((await call("POST", relations(orgId, a.id), { type: "parent", taskId: b.id })).status).toBe(400);
  });

  test("another org's task is 404 from either side, its relation ids too", async () => {
    const call = as(owner);
    const orgId = await newOrg(call, "ONE");
    const otherOrg = await newOrg(call, "TWO");
    const mine = await newTask(call, orgId, "Mine");
    const theirs = await newTask(call, otherOrg, "Theirs");
    const their2 = await newTask(call, otherOrg, "Theirs 2");
    const theirRelation = (await relate(call, otherOrg, theirs.id, "relates", their2.id)) as TTaskRelation;

    expect(
      errorOf(await call("POST", relations(orgId, mine.id), { type: "blocks", taskId: theirs.id })).error.code,
    ).toBe("NOT_FOUND");
    expect((await call("POST", relations(orgId, mine.id), { type: "blocks", taskId: theirs.key })).status).toBe(404);
    expect((await call("GET", relations(orgId, theirs.id))).status).toBe(404);
    expect((await call("DELETE", `${relations(orgId, mine.id)}/${theirRelation.id}`)).status).toBe(404);
    expect(await listOf(call, otherOrg, theirs.id)).toHaveLength(1);
  });

  test("deleting a relation or a task removes it from both sides, with DELETE_RELATION events", async () => {
    const call = as(owner);
    const orgId = await newOrg(call, "DEL");
    const a = await newTask(call, orgId, "A");
    const b = await newTask(call, orgId, "B");
    const c = await newTask(call, orgId, "C");
    const ab = (await relate(call, orgId, a.id, "blocks", b.id)) as TTaskRelation;
    const ac = (await relate(call, orgId, a.id, "relates", c.id)) as TTaskRelation;
    const cb = (await relate(call, orgId, c.id, "blocks", b.id)) as TTaskRelation;

    const seq = await lastSeq(call, orgId);
    const removed = expectStatus(await call("DELETE", `${relations(orgId, b.id)}/${cb.id}`), 200);
    expect(removed).toMatchObject({ id: cb.id, type: "blocked_by" });
    expect(await listOf(call, orgId, c.id)).toMatchObject([{ id: ac.id }]);

    expectStatus(await call("DELETE", `/api/orgs/${orgId}/tasks/${a.id}`), 200);
    expect(await listOf(call, orgId, b.id)).toEqual([]);
    expect(await listOf(call, orgId, c.id)).toEqual([]);
    const pairs = expectStatus(await call("GET", `/api/orgs/${orgId}/relations`), 200) as TBlockingPairs;
    expect(pairs.pairs).toEqual([]);
    const events = await eventsAfter(call, orgId, seq);
    expect(events.map((e) => e.type)).toEqual(["DELETE_RELATION", "DELETE_RELATION", "DELETE_RELATION", "DELETE_TASK"]);
    const ids = events.slice(1, 3).map((e) => (e.payload as { relation: TTaskRelation }).relation.id);
    expect(ids.sort()).toEqual([ab.id, ac.id].sort());
  });

  test("deleting a project removes its tasks' relations to other projects, each with its event", async () => {
    const call = as(owner);
    const orgId = await newOrg(call, "PJD");
    const kept = await newTask(call, orgId, "Kept");
    const project = expectStatus(
      await call("POST", `/api/orgs/${orgId}/projects`, { name: "Doomed", key: "DOOM" }),
      201,
    ) as { id: string };
    const doomed = expectStatus(
      await call("POST", `/api/orgs/${orgId}/tasks`, { title: "Doomed", projectId: project.id }),
      201,
    ) as TTask;
    const link = (await relate(call, orgId, kept.id, "blocked_by", doomed.key)) as TTaskRelation;
    const seq = await lastSeq(call, orgId);
    expectStatus(await call("DELETE", `/api/orgs/${orgId}/projects/DOOM`), 200);
    expect(await listOf(call, orgId, kept.id)).toEqual([]);
    const events = await eventsAfter(call, orgId, seq);
    expect(events.map((e) => e.type)).toEqual(["DELETE_RELATION", "DELETE_TASK", "DELETE_PROJECT"]);
    expect(events[0]?.payload).toMatchObject({ relation: { id: link.id }, inverse: { taskId: kept.id } });
  });

  test("relating takes tasks.edit: a member without it gets 403, reading is any member's", async () => {
    const call = as(owner);
    const orgId = await newOrg(call, "PRM");
    const a = await newTask(call, orgId, "A");
    const b = await newTask(call, orgId, "B");
    const link = (await relate(call, orgId, a.id, "relates", b.id)) as TTaskRelation;
    const reader = await backend.signUp("Reader");
    await addTestMember(backend.db, { orgId, userId: reader.id, permissions: [] });
    const read = as(reader);
    expect(errorOf(await read("POST", relations(orgId, a.id), { type: "blocks", taskId: b.id })).error.code).toBe(
      "FORBIDDEN",
    );
    expect((await read("DELETE", `${relations(orgId, a.id)}/${link.id}`)).status).toBe(403);
    expect(await listOf(read, orgId, b.id)).toMatchObject([{ id: link.id }]);

    const editor = await backend.signUp("Editor");
    await addTestMember(backend.db, { orgId, userId: editor.id, permissions: ["tasks.edit"] });
    await relate(as(editor), orgId, a.id, "blocks", b.id);
  });
});
