import { KIND_WEIGHT, type TNotificationKind } from "@tandem/contracts";
import {
  foldNotification,
  insertNotifications,
  lockOpenNotifications,
  type NotificationDraft,
  type OpenNotification,
  type Transaction,
} from "@tandem/database";

const weight = (kind: string) => KIND_WEIGHT[kind as TNotificationKind] ?? 0;
const keyOf = (draft: Pick<NotificationDraft, "userId" | "taskId" | "actorId">) =>
  `${draft.userId}\u0000${draft.taskId}\u0000${draft.actorId ?? ""}`;

/** The later change folded into the earlier one: the stronger kind (ties: the later) speaks. */
function folded<T extends Pick<NotificationDraft, "kind" | "summary" | "excerpt" | "commentId">>(
  held: T,
  next: NotificationDraft,
) {
  const stronger = weight(next.kind) >= weight(held.kind);
  return {
    kind: stronger ? next.kind : held.kind,
    summary: stronger ? next.summary : held.summary,
    excerpt: stronger ? next.excerpt : held.excerpt,
    commentId: stronger && next.commentId ? next.commentId : held.commentId,
  };
}

/**
 * A batch's notifications, collapsed as they are added: one actor's changes on one task for
 * one recipient closer than `collapseMs` fold into one notification (in the inbox only: an
 * e-mail-only notification, written archived, stands alone).
 */
export class NotificationDrafts {
  private readonly drafts: NotificationDraft[] = [];
  private readonly open = new Map<string, NotificationDraft>();

  constructor(private readonly collapseMs: number) {}

  add(draft: NotificationDraft) {
    if (!draft.inApp) {
      this.drafts.push(draft);
      return;
    }
    const key = keyOf(draft);
    const held = this.open.get(key);
    if (held && draft.eventAt.getTime() - held.eventAt.getTime() < this.collapseMs) {
      Object.assign(held, folded(held, draft), {
        count: held.count + draft.count,
        eventSeq: draft.eventSeq,
        eventAt: draft.eventAt,
        email: held.email || draft.email,
      });
      return;
    }
    this.drafts.push(draft);
    this.open.set(key, draft);
  }

  /**
   * Writes the batch: a draft whose recipient still has an open notification for the same
   * task and actor within the window folds into it; the rest are inserted in one statement.
   */
  async write(tx: Transaction, orgId: string): Promise<Set<string>> {
    const touched = new Set(this.drafts.map((draft) => draft.userId));
    if (!this.drafts.length) return touched;
    const earliest = Math.min(...this.drafts.map((draft) => draft.eventAt.getTime()));
    const rows = await lockOpenNotifications(tx, {
      orgId,
      userIds: [...touched],
      taskIds: [...new Set(this.drafts.map((draft) => draft.taskId))],
      since: new Date(earliest - this.collapseMs),
    });
    const latest = new Map<string, OpenNotification>();
    for (const row of rows) latest.set(keyOf(row), row); // ordered by seq: the last wins
    const fresh: NotificationDraft[] = [];
    const seenKeys = new Set<string>();
    for (const draft of this.drafts) {
      const key = keyOf(draft);
      const first = !seenKeys.has(key);
      seenKeys.add(key);
      const row = draft.inApp && first ? latest.get(key) : undefined;
      if (!row || draft.eventAt.getTime() - row.lastEventAt.getTime() >= this.collapseMs) {
        fresh.push(draft);
        continue;
      }
      await foldNotification(tx, row.id, {
        ...folded(row, draft),
        count: row.count + draft.count,
        eventSeq: draft.eventSeq,
        lastEventAt: draft.eventAt,
        emailState: row.emailState === "none" && draft.email ? "pending" : row.emailState,
      });
    }
    await insertNotifications(tx, fresh);
    return touched;
  }
}
