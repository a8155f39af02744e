import { KIND_WEIGHT, mentionsAsNames, type TNotificationKind } from "@tandem/contracts";
import {
  claimPendingEmails,
  type Database,
  type EventRow,
  getOrg,
  listEvents,
  listMemberNames,
  listPreferences,
  listStates,
  lockExistingTaskIds,
  lockNotifierCursor,
  NOTIFIER,
  setEventCursor,
  systemOrgsBehindNotifier,
  systemUsersWithDueEmail,
  type Transaction,
} from "@tandem/database";
import { type Mail, notificationMail } from "@tandem/mail";
import { traced } from "@tandem/opentelemetry";
import { newId } from "@tandem/util";
import { NotifyBatchState, taskIdOf } from "./batch-state.ts";
import { NotificationDrafts } from "./drafts.ts";
import { type OrgView, type Wanted, wantedFor } from "./recipients.ts";
import type { DueReminderJob } from "./reminders.ts";
import { unsubscribeToken } from "./unsubscribe.ts";

export type NotifierOptions = {
  db: Database;
  /** One actor's changes on one task closer than this fold into one notification. */
  collapseMs: number;
  /** Events read per org transaction. */
  batchSize: number;
  /** Told after commit which users' inboxes changed (the hub tells their sockets). */
  onInbox: (userIds: string[]) => void;
  /** Only these orgs (the crash test's own); every org behind its cursor by default. */
  orgIds?: string[];
  /** Queues due-date reminders inside the batch's transaction (pg-boss `startAfter`). */
  scheduleReminders?: (tx: Transaction, jobs: DueReminderJob[]) => Promise<void>;
  /**
   * Called inside each batch's transaction once its notifications are written and before the
   * cursor moves: the crash test kills the process here, mid-batch.
   */
  beforeCommit?: () => Promise<void>;
};

export type MailerOptions = {
  db: Database;
  /** A digest waits this long after its first notification, gathering the rest. */
  windowMs: number;
  /** Sends or throws (the claim rolls back and the mail is tried again). */
  send: (mail: Mail) => Promise<void>;
  webOrigin: string;
  /** Where the one-click unsubscribe route is served (the backend's public URL). */
  apiOrigin: string;
  secret: string;
};

const ALL_VISIBILITIES = ["public", "members", "admin"] as const;

/** Whether a user's preferences let a kind through a channel (no row: yes). */
function preferenceReader(rows: { userId: string; kind: string; channel: string; enabled: boolean }[]) {
  const off = new Set(rows.filter((row) => !row.enabled).map((row) => `${row.userId}:${row.kind}:${row.channel}`));
  return (userId: string, kind: TNotificationKind, channel: "inApp" | "email") =>
    !off.has(`${userId}:${kind}:${channel}`);
}

/** One notification per recipient and event: the strongest kind wins; never the actor, only members. */
function recipientsOf(view: OrgView, event: EventRow, wanted: Wanted[]): Wanted[] {
  const best = new Map<string, Wanted>();
  for (const item of wanted) {
    if (item.userId === event.actorId || !view.members.has(item.userId)) continue;
    const held = best.get(item.userId);
    if (!held || KIND_WEIGHT[item.kind] > KIND_WEIGHT[held.kind]) best.set(item.userId, item);
  }
  return [...best.values()];
}

function actorName(view: OrgView, event: EventRow): string {
  if (event.type === "CREATE_COMMENT" && event.payload.comment.externalAuthor)
    return `@${event.payload.comment.externalAuthor.login}`;
  if (event.actorKey) return event.actorKey.name;
  if (!event.actorId) return "GitHub";
  return view.members.get(event.actorId) ?? "Someone";
}

/**
 * Reads one batch of an org's log and writes its notifications, moving the cursor in the same
 * transaction. The batch's task states, watchers and notifications are read and written in a
 * few set-based statements, whatever the batch's size.
 */
async function followBatch(tx: Transaction, options: NotifierOptions, orgId: string, touched: Set<string>) {
  const after = await lockNotifierCursor(tx, { orgId });
  if (after === null) return 0; // another instance holds this org right now
  const events = await listEvents(tx, { orgId, after, limit: options.batchSize, visibilities: ALL_VISIBILITIES });
  const last = events.at(-1);
  if (!last) return 0;
  // Tasks removed with their project since: their events ask nothing (their rows are gone).
  // The rest are held until the batch commits, so none is deleted under its notifications.
  const ids = events.flatMap((event) => taskIdOf(event) ?? []);
  const live = await lockExistingTaskIds(tx, { orgId, ids: [...new Set(ids)] });
  const relevant = events.filter((event) => {
    const taskId = taskIdOf(event);
    return taskId === null || live.has(taskId);
  });
  const [org, members, states, state] = await Promise.all([
    getOrg(tx, { orgId }),
    listMemberNames(tx, { orgId }),
    listStates(tx, { orgId }),
    NotifyBatchState.load(tx, orgId, relevant),
  ]);
  if (!org) return 0;
  const view: OrgView = {
    orgId,
    members,
    stateNames: new Map(states.map((s) => [s.id, s.name])),
    finishedStates: new Set(
      states.filter((s) => s.category === "completed" || s.category === "canceled").map((s) => s.id),
    ),
  };
  const perEvent = relevant.map((event) => ({
    event,
    recipients: recipientsOf(view, event, wantedFor(state, view, event)),
  }));
  const userIds = [...new Set(perEvent.flatMap((item) => item.recipients.map((r) => r.userId)))];
  const allows = preferenceReader(await listPreferences(tx, { userIds }));
  const drafts = new NotificationDrafts(options.collapseMs);
  for (const { event, recipients } of perEvent) {
    for (const wanted of recipients) {
      const inApp = allows(wanted.userId, wanted.kind, "inApp");
      const email = allows(wanted.userId, wanted.kind, "email");
      if (!inApp && !email) continue;
      drafts.add({
        orgId,
        id: newId("ntf"),
        userId: wanted.userId,
        taskId: wanted.taskId,
        kind: wanted.kind,
        actorId: event.actorId,
        commentId: wanted.commentId,
        summary: `${actorName(view, event)} ${wanted.verb}`.slice(0, 500),
        excerpt: wanted.excerpt,
        count: 1,
        eventSeq: event.seq,
        eventAt: new Date(event.createdAt),
        inApp,
        email,
      });
    }
  }
  await state.save(tx);
  if (state.reminders.length) await options.scheduleReminders?.(tx, state.reminders);
  for (const userId of await drafts.write(tx, orgId)) touched.add(userId);
  await options.beforeCommit?.();
  await setEventCursor(tx, { consumer: NOTIFIER, orgId, lastSeq: last.seq });
  return events.length;
}

/**
 * Follows every org's event log from its cursor and turns events into notifications. Each
 * batch (the notifications and the cursor) is one transaction, so a process killed mid-batch
 * leaves nothing behind and the next run redoes that batch: every notification exactly once.
 * The org's cursor row is locked for the batch, so several backends can run this at once.
 */
export async function followNotifications(options: NotifierOptions): Promise<number> {
  return traced("job.notifier", async () => {
    let total = 0;
    const behind = await systemOrgsBehindNotifier(options.db, { consumer: NOTIFIER });
    for (const orgId of options.orgIds ? behind.filter((id) => options.orgIds?.includes(id)) : behind) {
      for (;;) {
        const touched = new Set<string>();
        const read = await options.db.transaction((tx) => followBatch(tx, options, orgId, touched));
        if (touched.size) options.onInbox([...touched]);
        total += read;
        if (read < options.batchSize) break;
      }
    }
    return total;
  });
}

/** The UI path that opens a notification's task, on its comment when it has one. */
export function notificationPath(row: { orgSlug: string; taskKey: string; commentId: string | null }): string {
  const path = `/o/${encodeURIComponent(row.orgSlug)}?task=${encodeURIComponent(row.taskKey)}`;
  return row.commentId ? `${path}#comment-${row.commentId}` : path;
}

/**
 * Sends each recipient whose oldest pending notification has waited `windowMs` one e-mail
 * with all of them (a digest when there are several). The claim and the send share a
 * transaction: a failed send is retried on the next run.
 */
export async function sendDueEmails(options: MailerOptions): Promise<number> {
  let sent = 0;
  for (const user of await systemUsersWithDueEmail(options.db, { windowMs: options.windowMs })) {
    await options.db.transaction(async (tx) => {
      const rows = await claimPendingEmails(tx, { userId: user.userId });
      if (!rows.length) return;
      const scope = rows.length === 1 && rows[0] ? (rows[0].kind as TNotificationKind) : "all";
      const token = unsubscribeToken(options.secret, user.userId, scope);
      await options.send(
        notificationMail({
          to: user.email,
          items: rows.map((row) => ({
            summary: row.summary,
            excerpt: mentionsAsNames(row.excerpt),
            count: row.count,
            link: `${options.webOrigin}${notificationPath(row)}`,
          })),
          unsubscribeUrl: `${options.apiOrigin}/api/notifications/unsubscribe?token=${token}`,
          preferencesUrl: `${options.webOrigin}/notifications?settings=1`,
        }),
      );
      sent += 1;
    });
  }
  return sent;
}
