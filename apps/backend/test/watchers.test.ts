import { afterAll, beforeAll, expect, test } from "bun:test";
import { mentionOf } from "@tandem/contracts";
import { schema } from "@tandem/database";
import { addTestMember } from "@tandem/domain/testing";
import { and, desc, eq } from "drizzle-orm";
import { startTestBackend, type TestBackend } from "./harness.ts";
import { notifierCaughtUp, orgOf, rowsOf } from "./notify-world.ts";

/**
 * SPEC §14 watchers: a task's creator and assignees watch it without a row of their own (a row
 * per create would cost every mutation a write), an unassigned person keeps watching, and
 * unwatching beats both. UPDATE_TASK says what it changed, so the notifier keeps no copy of tasks.
 */
let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend({ notifier: { enabled: true, pollMs: 50, collapseMs: 0 } });
});
afterAll(() => backend.stop());

/** An org whose people may all create and edit tasks (the first owns it). */
async function editors(names: string[]) {
  const { org, people } = await orgOf(backend, names.slice(0, 1));
  for (const name of names.slice(1)) {
    const user = await backend.signUp(name);
    await addTestMember(backend.db, {
      orgId: org.id,
      userId: user.id,
      permissions: ["tasks.create", "tasks.edit", "tasks.assign"],
    });
    people.push(user);
  }
  return { org, people };
}

const watchRows = (taskId: string) =>
  backend.db
    .select({ userId: schema.taskWatch.userId, watching: schema.taskWatch.watching })
    .from(schema.taskWatch)
    .where(eq(schema.taskWatch.taskId, taskId));

test("creator and assignees watch without a row; an unassigned person keeps watching; unwatching beats both", async () => {
  const { org, people } = await editors(["Cat", "Ann", "Ben", "Dan"]);
  const [cat, ann, ben, dan] = people as [
    (typeof people)[0],
    (typeof people)[0],
    (typeof people)[0],
    (typeof people)[0],
  ];
  const tasks = `/api/orgs/${org.id}/tasks`;
  const created = await ann.raw("POST", tasks, { title: "Watch me", assigneeIds: [ben.id] });
  expect(created.status).toBe(201);
  const task = created.body as { id: string; key: string; version: number };
  await notifierCaughtUp(backend, org.id);
  expect(await watchRows(task.id)).toEqual([]);
  const watches = async (user: typeof ann) =>
    ((await user.raw("GET", `${tasks}/${task.key}/subscription`)).body as { watching: boolean }).watching;
  expect([await watches(ann), await watches(ben), await watches(cat)]).toEqual([true, true, false]);

  const project = await ann.raw("GET", `/api/orgs/${org.id}/projects/${org.prefix}`);
  const states = (project.body as { states: { id: string; category: string }[] }).states;
  const stateOf = (category: string) => states.find((s) => s.category === category)?.id;
  const kindsOf = async (userId: string) => (await rowsOf(backend, userId, org.id)).map((row) => row.kind);

  // Cat moves it: the creator and the assignee are told, though neither has a row.
  expect((await cat.raw("POST", `${tasks}/${task.id}/move`, { stateId: stateOf("started") })).status).toBe(200);
  await notifierCaughtUp(backend, org.id);
  expect(await kindsOf(ann.id)).toEqual(["state_changed"]);
  expect(await kindsOf(ben.id)).toEqual(["assigned", "state_changed"]);

  // Ben is unassigned (Dan takes over) and keeps watching by row; Ann, the creator, unwatches.
  const reassigned = await ann.raw("PUT", `${tasks}/${task.id}/assignees`, { userIds: [dan.id] });
  expect(reassigned.status).toBe(200);
  expect((await ann.raw("DELETE", `${tasks}/${task.id}/subscription`)).status).toBe(200);
  await notifierCaughtUp(backend, org.id);
  expect([await watches(ann), await watches(ben), await watches(dan)]).toEqual([false, true, true]);
  const rows = await watchRows(task.id);
  expect(rows.sort((a, b) => a.userId.localeCompare(b.userId))).toEqual(
    [
      { userId: ann.id, watching: false },
      { userId: ben.id, watching: true },
    ].sort((a, b) => a.userId.localeCompare(b.userId)),
  );

  expect((await cat.raw("POST", `${tasks}/${task.id}/move`, { stateId: stateOf("completed") })).status).toBe(200);
  expect((await cat.raw("POST", `${tasks}/${task.id}/comments`, { body: "Shipped" })).status).toBe(201);
  await notifierCaughtUp(backend, org.id);
  expect(await kindsOf(ann.id)).toEqual(["state_changed"]);
  expect(await kindsOf(ben.id)).toEqual(["assigned", "state_changed", "state_changed", "commented"]);
  expect(await kindsOf(dan.id)).toEqual(["assigned", "state_changed", "commented"]);
});

test("UPDATE_TASK carries the earlier state, assignees and due date, and the newly mentioned", async () => {
  const { org, people } = await editors(["Eve", "Fay"]);
  const [eve, fay] = people as [(typeof people)[0], (typeof people)[0]];
  const tasks = `/api/orgs/${org.id}/tasks`;
  const created = await eve.raw("POST", tasks, { title: "Payload", assigneeIds: [eve.id] });
  const task = created.body as { id: string; version: number; stateId: string };
  const patched = await eve.raw("PATCH", `${tasks}/${task.id}`, {
    version: task.version,
    status: "in_progress",
    dueDate: "2030-01-31",
    description: `Over to ${mentionOf({ id: fay.id, name: "Fay" })}`,
  });
  expect(patched.body).toMatchObject({ dueDate: "2030-01-31" });
  const lastUpdate = () =>
    backend.db
      .select({ payload: schema.event.payload })
      .from(schema.event)
      .where(and(eq(schema.event.orgId, org.id), eq(schema.event.type, "UPDATE_TASK")))
      .orderBy(desc(schema.event.seq))
      .limit(1)
      .then((rows): unknown => rows[0]?.payload);
  expect(await lastUpdate()).toEqual({
    task: patched.body,
    previous: { stateId: task.stateId, dueDate: null },
    addedMentions: [fay.id],
  });
  expect((await eve.raw("PUT", `${tasks}/${task.id}/assignees`, { userIds: [fay.id] })).status).toBe(200);
  expect(await lastUpdate()).toMatchObject({ previous: { assigneeIds: [eve.id] } });
  // A title edit changes none of them: no `previous`, no `addedMentions`.
  const current = (await eve.raw("GET", `${tasks}/${task.id}`)).body as { version: number };
  const titled = await eve.raw("PATCH", `${tasks}/${task.id}`, { version: current.version, title: "Renamed" });
  expect(titled.status).toBe(200);
  expect(await lastUpdate()).toEqual({ task: titled.body });
});
