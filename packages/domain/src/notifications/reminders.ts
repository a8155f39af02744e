import { createHash } from "node:crypto";
import {
  type Database,
  getReminderTask,
  insertNotifications,
  listMemberNames,
  listPreferences,
} from "@tandem/database";

/** A due-date reminder job: `due_soon` the day before the date, `overdue` the day after. */
export type DueReminderJob = {
  orgId: string;
  taskId: string;
  dueDate: string;
  kind: "due_soon" | "overdue";
  /** When it runs (ISO); pg-boss holds it until then. */
  startAfter: string;
};

const DAY_MS = 86_400_000;

/**
 * The reminders a task due on `dueDate` needs, from `now`: `due_soon` at the start (UTC) of the
 * day before and `overdue` at the start of the day after; a date already past gets only the
 * `overdue` one, at once.
 */
export function remindersFor(
  { orgId, taskId, dueDate }: { orgId: string; taskId: string; dueDate: string },
  now = Date.now(),
): DueReminderJob[] {
  const start = Date.parse(`${dueDate}T00:00:00Z`);
  if (Number.isNaN(start)) return [];
  const overdue = start + DAY_MS;
  const jobs: DueReminderJob[] = [];
  if (now < overdue)
    jobs.push({ orgId, taskId, dueDate, kind: "due_soon", startAfter: new Date(start - DAY_MS).toISOString() });
  jobs.push({ orgId, taskId, dueDate, kind: "overdue", startAfter: new Date(overdue).toISOString() });
  return jobs;
}

/** One id per task, date, kind and recipient: a job run twice writes one notification. */
function reminderId(job: DueReminderJob, userId: string): string {
  const digest = createHash("sha256").update(`${job.taskId}\u0000${job.dueDate}\u0000${job.kind}\u0000${userId}`);
  return `ntf_${digest.digest("hex").slice(0, 24)}`;
}

const FINISHED = new Set(["done", "canceled"]);

/**
 * Runs a reminder: nothing when the task is gone, finished or due on another date now (a moved
 * date scheduled its own); else one notification per assignee who is still a member (the
 * creator when no one is assigned), once, as their preferences allow. Answers who was told.
 */
export async function sendDueReminder(db: Database, job: DueReminderJob): Promise<string[]> {
  return db.transaction(async (tx) => {
    const task = await getReminderTask(tx, { orgId: job.orgId, taskId: job.taskId });
    if (!task || task.deleted || task.due_date !== job.dueDate || FINISHED.has(task.status)) return [];
    const members = await listMemberNames(tx, { orgId: job.orgId });
    const assigned = task.assignee_ids.filter((id) => members.has(id));
    const recipients = assigned.length
      ? assigned
      : task.created_by && members.has(task.created_by)
        ? [task.created_by]
        : [];
    const off = new Set(
      (await listPreferences(tx, { userIds: recipients }))
        .filter((row) => !row.enabled && row.kind === job.kind)
        .map((row) => `${row.userId}:${row.channel}`),
    );
    const eventAt = new Date();
    const verb = job.kind === "due_soon" ? `is due tomorrow (${job.dueDate})` : `is overdue (due ${job.dueDate})`;
    const drafts = recipients
      .map((userId) => ({ userId, inApp: !off.has(`${userId}:inApp`), email: !off.has(`${userId}:email`) }))
      .filter((r) => r.inApp || r.email)
      .map((r) => ({
        ...r,
        orgId: job.orgId,
        id: reminderId(job, r.userId),
        taskId: task.id,
        kind: job.kind,
        actorId: null,
        commentId: null,
        summary: `${task.key}: ${task.title} ${verb}`.slice(0, 500),
        excerpt: "",
        count: 1,
        eventSeq: 0,
        eventAt,
      }));
    return insertNotifications(tx, drafts, { once: true });
  });
}
