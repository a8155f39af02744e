import {
  addWatchers,
  type EventRow,
  listNotifyTaskStates,
  listWatchers,
  type NotifyTaskState,
  putNotifyTaskStates,
  type Transaction,
  type WatchRow,
} from "@tandem/database";

type Seen = Pick<NotifyTaskState, "status" | "assigneeIds" | "mentionIds">;

/** The task an event is about, when it is about one. */
export function taskIdOf(event: EventRow): string | null {
  switch (event.type) {
    case "CREATE_TASK":
    case "UPDATE_TASK":
      return event.payload.task.id;
    case "CREATE_COMMENT":
      return event.payload.comment.taskId;
    default:
      return null;
  }
}

/**
 * What the notifier knows of a batch's tasks: what it last saw of each and who watches it.
 * Read in two queries before the batch and written in two after it, so a batch of events
 * costs the same few statements however many events it holds.
 */
export class NotifyBatchState {
  private readonly seen = new Map<string, Seen>();
  private readonly changed = new Set<string>();
  private readonly watchers = new Map<string, Map<string, boolean>>();
  private readonly added: WatchRow[] = [];

  private constructor(private readonly orgId: string) {}

  static async load(tx: Transaction, orgId: string, events: EventRow[]): Promise<NotifyBatchState> {
    const state = new NotifyBatchState(orgId);
    const taskIds = [...new Set(events.map(taskIdOf).filter((id): id is string => id !== null))];
    const [seen, watches] = await Promise.all([
      listNotifyTaskStates(tx, { orgId, taskIds }),
      listWatchers(tx, { orgId, taskIds }),
    ]);
    for (const row of seen) state.seen.set(row.taskId, row);
    for (const row of watches) state.watchersOf(row.taskId).set(row.userId, row.watching);
    return state;
  }

  private watchersOf(taskId: string): Map<string, boolean> {
    let map = this.watchers.get(taskId);
    if (!map) {
      map = new Map();
      this.watchers.set(taskId, map);
    }
    return map;
  }

  lastSeen(taskId: string): Seen | undefined {
    return this.seen.get(taskId);
  }

  see(taskId: string, value: Seen) {
    this.seen.set(taskId, value);
    this.changed.add(taskId);
  }

  /** Adds watchers; someone who unwatched stays unwatched. */
  watch(taskId: string, userIds: string[]) {
    const map = this.watchersOf(taskId);
    for (const userId of userIds) {
      if (map.has(userId)) continue;
      map.set(userId, true);
      this.added.push({ orgId: this.orgId, taskId, userId, watching: true });
    }
  }

  /** Everyone watching the task (not those who unwatched), except those in `skip`. */
  watching(taskId: string, skip: Set<string>): string[] {
    return [...this.watchersOf(taskId)].filter(([userId, on]) => on && !skip.has(userId)).map(([userId]) => userId);
  }

  async save(tx: Transaction) {
    const states = [...this.changed].map((taskId) => ({
      taskId,
      orgId: this.orgId,
      ...(this.seen.get(taskId) as Seen),
    }));
    await Promise.all([putNotifyTaskStates(tx, states), addWatchers(tx, this.added)]);
  }
}
