/** Projects and workflows (SPEC §13): numbering per project, states, filters, tenancy, permissions. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TProjectWithStates, TTask, TWorkflowState } from "@tandem/contracts";
import { schema } from "@tandem/database";
import { addTestMember } from "@tandem/domain/testing";
import { and, asc, eq, gt } from "drizzle-orm";
import { isErrorBody, startTestBackend, type TestBackend, type TestUser } from "./harness.ts";

let backend: TestBackend;
let owner: TestUser;
beforeAll(async () => {
  backend = await startTestBackend();
  owner = await backend.signUp("Owner");
});
afterAll(() => backend.stop());

/** A raw call that must answer `status`; its body. */
async function call<T = unknown>(user: TestUser, status: number, method: string, path: string, body?: unknown) {
  const result = await user.raw(method, path, body);
  if (result.status !== status)
    throw new Error(`${method} ${path}: expected ${status}, got ${result.status} ${JSON.stringify(result.body)}`);
  return result.body as T;
}

async function newOrg(prefix = "ENG"): Promise<string> {
  const slug = `prj-${crypto.randomUUID().slice(0, 8)}`;
  return (await call<{ id: string }>(owner, 201, "POST", "/api/orgs", { name: "Projects", slug, prefix })).id;
}

const tasksOf = (orgId: string, query: string) =>
  call<{ tasks: TTask[]; nextCursor: string | null }>(owner, 200, "GET", `/api/orgs/${orgId}/tasks?${query}`);

async function eventsAfter(orgId: string, seq: number) {
  return backend.db
    .select()
    .from(schema.event)
    .where(and(eq(schema.event.orgId, orgId), gt(schema.event.seq, seq)))
    .orderBy(asc(schema.event.seq));
}

async function lastSeq(orgId: string): Promise<number> {
  const [row] = await backend.db.select().from(schema.orgCounter).where(eq(schema.orgCounter.orgId, orgId));
  return Number(row?.lastEventSeq ?? 0);
}

describe("projects", () => {
  test("two projects number independently: 50 concurrent creates in each give 1..50, keys resolve", async () => {
    const orgId = await newOrg("ENG");
    const ops = await call<TProjectWithStates>(owner, 201, "POST", `/api/orgs/${orgId}/projects`, {
      name: "Operations",
      key: "OPS",
    });
    expect(ops.states.map((s) => [s.name, s.category])).toEqual([
      ["Backlog", "backlog"],
      ["Todo", "unstarted"],
      ["In progress", "started"],
      ["Done", "completed"],
      ["Canceled", "canceled"],
    ]);
    const create = (projectId: string | undefined, i: number) =>
      call<TTask>(owner, 201, "POST", `/api/orgs/${orgId}/tasks`, { title: `T${i}`, projectId });
    const made = await Promise.all(
      Array.from({ length: 100 }, (_, i) => create(i % 2 === 0 ? undefined : i % 4 === 1 ? "OPS" : ops.id, i)),
    );
    const numbers = (key: string) =>
      made
        .filter((t) => t.key.startsWith(`${key}-`))
        .map((t) => t.number)
        .sort((a, b) => a - b);
    const oneToFifty = Array.from({ length: 50 }, (_, i) => i + 1);
    expect(numbers("ENG")).toEqual(oneToFifty);
    expect(numbers("OPS")).toEqual(oneToFifty);
    // Default project: the first one; the default state: Todo, status todo.
    const eng1 = await call<TTask>(owner, 200, "GET", `/api/orgs/${orgId}/tasks/ENG-1`);
    const ops1 = await call<TTask>(owner, 200, "GET", `/api/orgs/${orgId}/tasks/OPS-1`);
    expect(eng1.projectId).not.toBe(ops1.projectId);
    expect(ops1.projectId).toBe(ops.id);
    expect(ops1.stateId).toBe(ops.states[1]?.id ?? "");
    expect(ops1.status).toBe("todo");
    await call(owner, 404, "GET", `/api/orgs/${orgId}/tasks/OPS-51`);

    // Keys are unique in the org; a new key renames the tasks' keys.
    await call(owner, 409, "POST", `/api/orgs/${orgId}/projects`, { name: "Again", key: "OPS" });
    await call(owner, 409, "PATCH", `/api/orgs/${orgId}/projects/OPS`, { key: "ENG" });
    await call(owner, 200, "PATCH", `/api/orgs/${orgId}/projects/OPS`, { key: "OPX" });
    expect((await call<TTask>(owner, 200, "GET", `/api/orgs/${orgId}/tasks/OPX-1`)).id).toBe(ops1.id);
    const listed = await call<TProjectWithStates[]>(owner, 200, "GET", `/api/orgs/${orgId}/projects`);
    expect(listed.map((p) => p.key)).toEqual(["ENG", "OPX"]);
  });

  test("a renamed project's old task keys still resolve until another project takes the old key", async () => {
    const orgId = await newOrg("OLD");
    const task = await call<TTask>(owner, 201, "POST", `/api/orgs/${orgId}/tasks`, { title: "Keeps its link" });
    expect(task.key).toBe("OLD-1");
    const project = await call<TProjectWithStates>(owner, 200, "GET", `/api/orgs/${orgId}/projects/OLD`);
    await call(owner, 200, "PATCH", `/api/orgs/${orgId}/projects/${project.id}`, { key: "NEW" });
    // The new key, and the old one (a link shared before the rename), name the same task.
    expect((await call<TTask>(owner, 200, "GET", `/api/orgs/${orgId}/tasks/NEW-1`)).id).toBe(task.id);
    const old = await call<TTask>(owner, 200, "GET", `/api/orgs/${orgId}/tasks/OLD-1`);
    expect([old.id, old.key]).toEqual([task.id, "NEW-1"]);
    expect((await tasksOf(orgId, "q=OLD-1")).tasks.map((t) => t.id)).toEqual([task.id]);
    expect((await call<TProjectWithStates>(owner, 200, "GET", `/api/orgs/${orgId}/projects/OLD`)).id).toBe(project.id);
    // Renamed back and forth, it keeps one entry per old key.
    await call(owner, 200, "PATCH", `/api/orgs/${orgId}/projects/${project.id}`, { key: "MID" });
    await call(owner, 200, "PATCH", `/api/orgs/${orgId}/projects/${project.id}`, { key: "NEW" });
    const [row] = await backend.db.select().from(schema.project).where(eq(schema.project.id, project.id));
    expect(row?.formerKeys.sort()).toEqual(["MID", "OLD"]);
    // A new project taking the old key wins it: OLD-1 is now that project's first task.
    await call(owner, 201, "POST", `/api/orgs/${orgId}/projects`, { key: "OLD", name: "Reused" });
    await call(owner, 404, "GET", `/api/orgs/${orgId}/tasks/OLD-1`);
    const fresh = await call<TTask>(owner, 201, "POST", `/api/orgs/${orgId}/tasks`, { title: "x", projectId: "OLD" });
    expect(fresh.key).toBe("OLD-1");
    expect((await call<TTask>(owner, 200, "GET", `/api/orgs/${orgId}/tasks/OLD-1`)).id).toBe(fresh.id);
    expect((await call<TTask>(owner, 200, "GET", `/api/orgs/${orgId}/tasks/NEW-1`)).id).toBe(task.id);
  });

  test("states: create at a position, rename, recolour, reorder; each through the event log", async () => {
    const orgId = await newOrg("WF");
    const base = `/api/orgs/${orgId}/projects/WF/states`;
    const seq = await lastSeq(orgId);
    const review = await call<TWorkflowState>(owner, 201, "POST", base, {
      name: "Review",
      category: "started",
      position: 3,
    });
    const names = async () => (await call<TWorkflowState[]>(owner, 200, "GET", base)).map((s) => s.name);
    expect(await names()).toEqual(["Backlog", "Todo", "In progress", "Review", "Done", "Canceled"]);
    const renamed = await call<TWorkflowState>(owner, 200, "PATCH", `${base}/${review.id}`, {
      name: "In review",
      color: "#123456",
    });
    expect([renamed.name, renamed.color, renamed.category]).toEqual(["In review", "#123456", "started"]);
    await call(owner, 200, "PATCH", `${base}/${review.id}`, { position: 0 });
    expect(await names()).toEqual(["In review", "Backlog", "Todo", "In progress", "Done", "Canceled"]);
    const positions = (await call<TWorkflowState[]>(owner, 200, "GET", base)).map((s) => s.position);
    expect(positions).toEqual([0, 1, 2, 3, 4, 5]);
    // The category is fixed once made.
    await call(owner, 400, "PATCH", `${base}/${review.id}`, { category: "completed" });
    const types = (await eventsAfter(orgId, seq)).map((e) => e.type);
    expect(types.filter((t) => t === "CREATE_STATE")).toHaveLength(1);
    expect(types.filter((t) => t === "UPDATE_STATE").length).toBeGreaterThanOrEqual(3);
    // A task may be created straight into it, and moved by stateId.
    const task = await call<TTask>(owner, 201, "POST", `/api/orgs/${orgId}/tasks`, {
      title: "Reviewed",
      stateId: review.id,
    });
    expect(task.status).toBe("in_progress");
    const moved = await call<TTask>(owner, 200, "POST", `/api/orgs/${orgId}/tasks/${task.key}/move`, {
      status: "done",
    });
    expect(moved.status).toBe("done");
    await call(owner, 400, "POST", `/api/orgs/${orgId}/tasks/${task.key}/move`, { stateId: "wst_unknown" });
  });

  test("deleting a state moves its tasks to moveTo in one transaction, one UPDATE_TASK each", async () => {
    const orgId = await newOrg("DEL");
    const base = `/api/orgs/${orgId}/projects/DEL/states`;
    const review = await call<TWorkflowState>(owner, 201, "POST", base, { name: "Review", category: "started" });
    const tasks = [];
    for (const title of ["A", "B", "C"])
      tasks.push(await call<TTask>(owner, 201, "POST", `/api/orgs/${orgId}/tasks`, { title, stateId: review.id }));
    const states = await call<TWorkflowState[]>(owner, 200, "GET", base);
    const done = states.find((s) => s.category === "completed");
    const other = await call<TProjectWithStates>(owner, 201, "POST", `/api/orgs/${orgId}/projects`, {
      name: "Other",
      key: "OTH",
    });
    const seq = await lastSeq(orgId);
    // Tasks and no moveTo; a moveTo of another project: refused, nothing moved, nothing logged.
    await call(owner, 409, "DELETE", `${base}/${review.id}`);
    await call(owner, 400, "DELETE", `${base}/${review.id}?moveTo=${other.states[3]?.id}`);
    expect(await eventsAfter(orgId, seq)).toEqual([]);
    await call(owner, 200, "DELETE", `${base}/${review.id}?moveTo=${done?.id}`);
    const events = await eventsAfter(orgId, seq);
    expect(events.map((e) => e.type)).toEqual(["UPDATE_TASK", "UPDATE_TASK", "UPDATE_TASK", "DELETE_STATE"]);
    const seqs = events.map((e) => Number(e.seq));
    expect(seqs).toEqual([seq + 1, seq + 2, seq + 3, seq + 4]);
    for (const before of tasks) {
      const after = await call<TTask>(owner, 200, "GET", `/api/orgs/${orgId}/tasks/${before.id}`);
      expect([after.stateId, after.status, after.version]).toEqual([done?.id ?? "", "done", before.version + 1]);
    }
    expect((await call<TWorkflowState[]>(owner, 200, "GET", base)).map((s) => s.name)).not.toContain("Review");
  });

  test("the last completed (or unstarted) state cannot be deleted; a second one makes it possible", async () => {
    const orgId = await newOrg("LST");
    const base = `/api/orgs/${orgId}/projects/LST/states`;
    const states = await call<TWorkflowState[]>(owner, 200, "GET", base);
    const done = states.find((s) => s.category === "completed");
    const todo = states.find((s) => s.category === "unstarted");
    const refusal = await call(owner, 409, "DELETE", `${base}/${done?.id}`);
    expect(isErrorBody(refusal)).toBe(true);
    await call(owner, 409, "DELETE", `${base}/${todo?.id}`);
    await call(owner, 201, "POST", base, { name: "Shipped", category: "completed" });
    await call(owner, 200, "DELETE", `${base}/${done?.id}`);
    // The org's last project cannot be deleted; another one can, with its tasks.
    await call(owner, 409, "DELETE", `/api/orgs/${orgId}/projects/LST`);
    await call(owner, 409, "PATCH", `/api/orgs/${orgId}/projects/LST`, { archived: true });
    const spare = await call<TProjectWithStates>(owner, 201, "POST", `/api/orgs/${orgId}/projects`, {
      name: "Spare",
      key: "SPR",
    });
    const doomed = await call<TTask>(owner, 201, "POST", `/api/orgs/${orgId}/tasks`, {
      title: "Goes",
      projectId: "SPR",
    });
    await call(owner, 200, "DELETE", `/api/orgs/${orgId}/projects/${spare.id}`);
    await call(owner, 404, "GET", `/api/orgs/${orgId}/tasks/${doomed.id}`);
    await call(owner, 404, "GET", `/api/orgs/${orgId}/projects/SPR`);
  });

  test("filters project, state, status, dueBefore and dueAfter combine with the others", async () => {
    const orgId = await newOrg("FLT");
    await call(owner, 201, "POST", `/api/orgs/${orgId}/projects`, { name: "Second", key: "SEC" });
    const make = (title: string, extra: Record<string, unknown>) =>
      call<TTask>(owner, 201, "POST", `/api/orgs/${orgId}/tasks`, { title, ...extra });
    await make("early-high", { dueDate: "2026-01-10", priority: "high" });
    await make("mid-high", { dueDate: "2026-02-10", priority: "high" });
    await make("late-low", { dueDate: "2026-03-10", priority: "low" });
    await make("undated", { priority: "high" });
    await make("sec-mid", { dueDate: "2026-02-11", priority: "high", projectId: "SEC", status: "in_progress" });
    const titles = async (query: string) => (await tasksOf(orgId, query)).tasks.map((t) => t.title).sort();
    expect(await titles("dueBefore=2026-02-10")).toEqual(["early-high", "mid-high"]);
    expect(await titles("dueAfter=2026-02-10")).toEqual(["late-low", "mid-high", "sec-mid"]);
    expect(await titles("dueAfter=2026-02-01&dueBefore=2026-02-28&priority=high")).toEqual(["mid-high", "sec-mid"]);
    expect(await titles("dueAfter=2026-02-01&project=FLT")).toEqual(["late-low", "mid-high"]);
    expect(await titles("project=SEC,FLT&status=in_progress")).toEqual(["sec-mid"]);
    const sec = await call<TProjectWithStates>(owner, 200, "GET", `/api/orgs/${orgId}/projects/SEC`);
    const started = sec.states.find((s) => s.category === "started")?.id ?? "";
    expect(await titles(`state=${started}&priority=high`)).toEqual(["sec-mid"]);
    expect(await titles("project=NOPE")).toEqual([]);
    await call(owner, 400, "GET", `/api/orgs/${orgId}/tasks?dueBefore=tomorrow`);
    // Every task once, across projects and pages.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { tasks: TTask[]; nextCursor: string | null } = await tasksOf(
        orgId,
        `limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      seen.push(...page.tasks.map((t) => t.title));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(["early-high", "late-low", "mid-high", "sec-mid", "undated"]);
  });

  test("permissions: members read projects; writes need admin.manageProjects", async () => {
    const orgId = await newOrg("PRM");
    const member = await backend.signUp("Member");
    const manager = await backend.signUp("Manager");
    await addTestMember(backend.db, { orgId, userId: member.id, permissions: ["tasks.edit"] });
    await addTestMember(backend.db, { orgId, userId: manager.id, permissions: ["admin.manageProjects"] });
    const base = `/api/orgs/${orgId}/projects`;
    await call(member, 200, "GET", base);
    await call(member, 200, "GET", `${base}/PRM/states`);
    await call(member, 403, "POST", base, { name: "No", key: "NOPE" });
    await call(member, 403, "PATCH", `${base}/PRM`, { name: "No" });
    await call(member, 403, "POST", `${base}/PRM/states`, { name: "No", category: "started" });
    const made = await call<TProjectWithStates>(manager, 201, "POST", base, { name: "Yes", key: "YES" });
    await call(manager, 201, "POST", `${base}/YES/states`, { name: "Yes", category: "started" });
    await call(member, 403, "DELETE", `${base}/${made.id}`);
    await call(manager, 200, "DELETE", `${base}/${made.id}`);
  });
});

test("another org's projects, states and tasks are 404 through every new route, and stay unchanged", async () => {
  const orgA = await newOrg("AAA");
  const adminB = await backend.signUp("Admin B");
  const slug = `prj-b-${crypto.randomUUID().slice(0, 8)}`;
  const orgB = (await call<{ id: string }>(adminB, 201, "POST", "/api/orgs", { name: "B", slug, prefix: "BBB" })).id;
  const project = await call<TProjectWithStates>(owner, 200, "GET", `/api/orgs/${orgA}/projects/AAA`);
  const state = project.states[0]?.id ?? "";
  const task = await call<TTask>(owner, 201, "POST", `/api/orgs/${orgA}/tasks`, { title: "A's" });
  const snapshot = async () =>
    JSON.stringify(
      await Promise.all([
        backend.db.select().from(schema.project).where(eq(schema.project.orgId, orgA)),
        backend.db.select().from(schema.workflowState).where(eq(schema.workflowState.orgId, orgA)),
        backend.db.select().from(schema.task).where(eq(schema.task.orgId, orgA)),
        backend.db.select().from(schema.event).where(eq(schema.event.orgId, orgA)),
      ]),
    );
  const before = await snapshot();
  const a = `/api/orgs/${orgA}`;
  const b = `/api/orgs/${orgB}`;
  const requests: [string, string, unknown?][] = [
    ["GET", `${a}/projects`],
    ["POST", `${a}/projects`, { name: "x", key: "XX" }],
    ["GET", `${a}/projects/${project.id}`],
    ["PATCH", `${a}/projects/${project.id}`, { name: "pwned" }],
    ["DELETE", `${a}/projects/${project.id}`],
    ["GET", `${a}/projects/AAA/states`],
    ["POST", `${a}/projects/AAA/states`, { name: "x", category: "started" }],
    ["PATCH", `${a}/projects/AAA/states/${state}`, { name: "pwned" }],
    ["DELETE", `${a}/projects/AAA/states/${state}`],
    ["POST", `${a}/tasks/bulk`, { taskIds: [task.id], patch: { priority: "high" } }],
    // Org A's ids through org B's URLs.
    ["GET", `${b}/projects/${project.id}`],
    ["GET", `${b}/projects/AAA`],
    ["PATCH", `${b}/projects/${project.id}`, { name: "pwned" }],
    ["DELETE", `${b}/projects/${project.id}`],
    ["GET", `${b}/projects/${project.id}/states`],
    ["POST", `${b}/projects/${project.id}/states`, { name: "x", category: "started" }],
    ["PATCH", `${b}/projects/BBB/states/${state}`, { name: "pwned" }],
    ["DELETE", `${b}/projects/BBB/states/${state}`],
    ["GET", `${b}/tasks/AAA-1`],
    ["POST", `${b}/tasks`, { title: "x", projectId: project.id }],
    ["POST", `${b}/tasks/bulk`, { taskIds: [task.id], patch: { priority: "high" } }],
  ];
  const unexpected: string[] = [];
  for (const [method, path, body] of requests) {
    const result = await adminB.raw(method, path, body);
    if (result.status !== 404 || !isErrorBody(result.body) || result.body.error.code !== "NOT_FOUND")
      unexpected.push(`${method} ${path} → ${result.status}`);
  }
  expect(unexpected).toEqual([]);
  // A state of org A named inside org B's own write is unknown there.
  const own = await call<TTask>(adminB, 201, "POST", `${b}/tasks`, { title: "B's" });
  await call(adminB, 400, "POST", `${b}/tasks/${own.id}/move`, { stateId: state });
  await call(adminB, 400, "POST", `${b}/tasks`, { title: "x", stateId: state });
  expect(await snapshot()).toBe(before);
});
