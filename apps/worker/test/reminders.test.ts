import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { queueDbOf, schema } from "@tandem/database";
import { type DueReminderJob, followNotifications, remindersFor, sendDueReminder, updateTask } from "@tandem/domain";
import { addTestMember, createTestOrg, createTestTask, systemCtx } from "@tandem/domain/testing";
import { QUEUES, queueClient } from "@tandem/queue";
import { and, eq, inArray } from "drizzle-orm";
import { startTestWorker, until, type WorkerHarness } from "./harness.ts";

/**
 * SPEC §14 due-date reminders: the notifier schedules them as pg-boss jobs held until their
 * time (in its batch's transaction); the worker runs them; each checks the task when it runs.
 */
let h: WorkerHarness;
let queue: ReturnType<typeof queueClient>;
beforeAll(async () => {
  h = await startTestWorker();
  queue = queueClient(process.env.DATABASE_URL ?? "");
});
afterAll(async () => {
  await queue.stop();
  await h.stop();
});

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function world() {
  const owner = `usr_${crypto.randomUUID()}`;
  const assignee = `usr_${crypto.randomUUID()}`;
  for (const id of [owner, assignee])
    await h.handle.db.insert(schema.user).values({ id, name: id === owner ? "Owner" : "Ann", email: `${id}@x.test` });
  const org = await createTestOrg(h.handle.db, { ownerId: owner, prefix: "DUE" });
  await addTestMember(h.handle.db, { orgId: org.id, userId: assignee, permissions: ["tasks.edit"] });
  return { org, assignee };
}

/** Runs the notifier over the org's log the way the backend does, queueing reminders in its batch. */
const notify = (orgId: string) =>
  followNotifications({
    db: h.handle.db,
    collapseMs: 0,
    batchSize: 100,
    onInbox: () => {},
    orgIds: [orgId],
    scheduleReminders: async (tx, jobs) => {
      for (const job of jobs)
        await queue.send(QUEUES.dueReminder, job, { startAfter: job.startAfter, db: queueDbOf(tx) });
    },
  });

/** The task's reminders (its assignment notified the assignee too). */
const reminders = (taskId: string) =>
  h.handle.db
    .select()
    .from(schema.notification)
    .where(and(eq(schema.notification.taskId, taskId), inArray(schema.notification.kind, ["due_soon", "overdue"])));

/** Waits until every reminder job of the task that is due has run. */
const jobsSettled = (taskId: string) =>
  until(async () => {
    const rows = await h.handle.sql<{ state: string; due: boolean }[]>`
      select state, start_after <= now() as due from pgboss.job
       where name = ${QUEUES.dueReminder} and data->>'taskId' = ${taskId}`;
    const due = rows.filter((row) => row.due);
    return due.length > 0 && due.every((row) => row.state === "completed") && rows;
  });

describe("due-date reminders", () => {
  test("schedule: due_soon the day before, overdue the day after; a past date only overdue", () => {
    const now = Date.parse("2026-12-02T12:00:00Z");
    const at = (dueDate: string) =>
      remindersFor({ orgId: "o", taskId: "t", dueDate }, now).map((job) => [job.kind, job.startAfter]);
    expect(at("2026-12-10")).toEqual([
      ["due_soon", "2026-12-09T00:00:00.000Z"],
      ["overdue", "2026-12-11T00:00:00.000Z"],
    ]);
    expect(at("2026-12-01")).toEqual([["overdue", "2026-12-02T00:00:00.000Z"]]);
    expect(at("not-a-date")).toEqual([]);
  });

  test("an overdue task's assignee is reminded once; due tomorrow: due_soon now, overdue later", async () => {
    const { org, assignee } = await world();
    const late = await createTestTask(h.handle.db, org.id, {
      title: "Late",
      assigneeIds: [assignee],
      dueDate: day(-2),
    });
    const soon = await createTestTask(h.handle.db, org.id, { title: "Soon", assigneeIds: [assignee], dueDate: day(1) });
    await notify(org.id);
    await jobsSettled(late.id);
    await jobsSettled(soon.id);
    const lateRows = await reminders(late.id);
    expect(lateRows.map((row) => [row.userId, row.kind, row.emailState])).toEqual([[assignee, "overdue", "pending"]]);
    expect(lateRows[0]?.summary).toContain(`${late.key}: Late is overdue`);
    expect((await reminders(soon.id)).map((row) => row.kind)).toEqual(["due_soon"]);
    // Run again (a retried job): still one notification.
    const job: DueReminderJob = {
      ...(remindersFor({ orgId: org.id, taskId: late.id, dueDate: day(-2) })[0] as DueReminderJob),
    };
    expect(await sendDueReminder(h.handle.db, job)).toEqual([]);
    expect(await reminders(late.id)).toHaveLength(1);
  });

  test("a moved date or a finished task cancels the reminder", async () => {
    const { org, assignee } = await world();
    const ctx = await systemCtx(h.handle.db, org.id);
    const moved = await createTestTask(h.handle.db, org.id, { assigneeIds: [assignee], dueDate: day(-3) });
    await updateTask({ ctx, input: { taskId: moved.id, patch: { version: moved.version, dueDate: day(30) } } });
    const done = await createTestTask(h.handle.db, org.id, { assigneeIds: [assignee], dueDate: day(-3) });
    await updateTask({ ctx, input: { taskId: done.id, patch: { version: done.version, status: "done" } } });
    await notify(org.id);
    const movedJobs = await jobsSettled(moved.id);
    await jobsSettled(done.id);
    // The old date's overdue job ran and did nothing; the new date's two wait for their time.
    expect(movedJobs.map((row) => row.state).sort()).toEqual(["completed", "created", "created"]);
    expect(await reminders(moved.id)).toEqual([]);
    expect(await reminders(done.id)).toEqual([]);
  });
});
