import {
  addWatchers,
  type EventRow,
  listImplicitWatchers,
  listWatchers,
  type Transaction,
  type WatchRow,
} from "@tandem/database";

import { type DueReminderJob, remindersFor } from "./reminders.ts";

/** The task an event is about, when it is about one. */
export function taskIdOf(event: EventRow): string | null {
  switch (event.type) {
    case "CREATE_TASK":
    case "UPDATE_TASK":
      return event.payload.task.id;
    case "CREATE_COMMENT":
    case "UPDATE_COMMENT":
      return event.payload.comment.taskId;
    default:
      return null;
  }
}

/** Events that tell a task's watchers (a move, a comment): only their tasks' watchers are read. */
const toldWatchers = (event: EventRow) => event.type === "UPDATE_TASK" || event.type === "CREATE_COMMENT";

type TaskPeople = { id: string; createdBy: string | null; assigneeIds: string[] };

/**
 * What the notifier knows of a batch's tasks: who watches each. A task's creator and assignees
 * watch it without a row (their rows would cost every create a write); rows hold the rest
 * (commenters, mentioned members, removed assignees) and everyone who unwatched. Read in at
 * most two queries before the batch and written in one after it, however many events it holds.
 */
export class NotifyBatchState {
  /** Rows: true watches, false unwatched (which beats being creator or assignee). */
  private readonly rows = new Map<string, Map<string, boolean>>();
  /** Each task's creator and assignees, as the batch's latest event (or the table) shows them. */
  private readonly people = new Map<string, Set<string>>();
  private readonly added: WatchRow[] = [];
  /** Due-date reminders the batch's changes call for (scheduled in the batch's transaction). */
  readonly reminders: DueReminderJob[] = [];

  private constructor(private readonly orgId: string) {}

  static async load(tx: Transaction, orgId: string, events: EventRow[]): Promise<NotifyBatchState> {
    const state = new NotifyBatchState(orgId);
    const ids = (list: EventRow[]) => [...new Set(list.flatMap((event) => taskIdOf(event) ?? []))];
    const comments = events.filter((event) => event.type === "CREATE_COMMENT");
    const [watches, people] = await Promise.all([
      listWatchers(tx, { orgId, taskIds: ids(events.filter(toldWatchers)) }),
      listImplicitWatchers(tx, { orgId, taskIds: ids(comments) }),
    ]);
    for (const row of watches) state.rowsOf(row.taskId).set(row.userId, row.watching);
    for (const task of people) state.saw(task);
    return state;
  }

  private rowsOf(taskId: string): Map<string, boolean> {
    let map = this.rows.get(taskId);
    if (!map) {
      map = new Map();
      this.rows.set(taskId, map);
    }
    return map;
  }

  /** A task as an event shows it: its creator and assignees now. */
  saw(task: TaskPeople) {
    this.people.set(task.id, new Set([...(task.createdBy ? [task.createdBy] : []), ...task.assigneeIds]));
  }

  /** Schedules a task's due-date reminders (a job for an old date finds the date moved and drops). */
  remind(taskId: string, dueDate: string) {
    this.reminders.push(...remindersFor({ orgId: this.orgId, taskId, dueDate }));
  }

  /** Adds watchers by row; someone who unwatched stays unwatched, creator and assignees need none. */
  watch(taskId: string, userIds: string[]) {
    const rows = this.rowsOf(taskId);
    const people = this.people.get(taskId);
    for (const userId of userIds) {
      if (rows.has(userId) || people?.has(userId)) continue;
      rows.set(userId, true);
      this.added.push({ orgId: this.orgId, taskId, userId, watching: true });
    }
  }

  /** Everyone watching the task (not those who unwatched), except those in `skip`. */
  watching(taskId: string, skip: Set<string>): string[] {
    const rows = this.rowsOf(taskId);
    const all = new Set([...(this.people.get(taskId) ?? []), ...rows.keys()]);
    return [...all].filter((userId) => rows.get(userId) !== false && !skip.has(userId));
  }

  async save(tx: Transaction) {
    await addWatchers(tx, this.added);
  }
}
