import type { TInboxMessage } from "@tandem/contracts";
import { countUnread, type Database, listInboxAfter } from "@tandem/database";
import { toNotificationDto } from "@tandem/domain";
import type { Logger } from "@tandem/util/server";
import type { Client } from "./client.ts";

/** Rows one fetch sends; a resume further behind than this gets INBOX_RESYNC (reload the list). */
const MAX_REPLAY = 500;

/**
 * The personal inbox channel (SPEC §14): `SUBSCRIBE {channel: "inbox"}` with no org. Each
 * socket keeps the seq of the last notification row it was sent; when a user's inbox changes
 * (this process's notifier or route, or a NOTIFY from another instance) the rows past it are
 * read and sent, in seq order, with the unread count. Sessions only: an API key has no inbox.
 */
export class InboxChannel {
  /** Each subscribed socket and the last seq it holds, by user. */
  private readonly sockets = new Map<string, Map<Client, number>>();
  /** Users whose inbox changed while a fetch for them ran: fetch again after it. */
  private readonly pending = new Set<string>();
  private readonly running = new Set<string>();

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
  ) {}

  holds(client: Client): boolean {
    const userId = client.user?.id;
    return userId ? (this.sockets.get(userId)?.has(client) ?? false) : false;
  }

  async subscribe(client: Client, afterSeq: number | undefined): Promise<void> {
    const user = client.user;
    if (!user || client.apiKey) {
      client.error("UNAUTHORIZED", "The inbox channel needs a signed-in session");
      return;
    }
    if (client.sessionExpiresAt && client.sessionExpiresAt < Date.now()) {
      client.error("UNAUTHORIZED", "Session expired");
      return;
    }
    if (this.holds(client)) {
      client.error("BAD_MESSAGE", "Already subscribed to inbox");
      return;
    }
    const [newest] = await listInboxAfter(this.db, { userId: user.id, afterSeq: 0, limit: 1, newestFirst: true });
    const lastSeq = newest?.seq ?? 0;
    const unreadCount = await countUnread(this.db, { userId: user.id });
    client.send({ type: "INBOX_SUBSCRIBED", scope: "INDIVIDUAL", data: { channel: "inbox", lastSeq, unreadCount } });
    let sockets = this.sockets.get(user.id);
    if (!sockets) {
      sockets = new Map();
      this.sockets.set(user.id, sockets);
    }
    // Live from the newest row; a resume starts at the client's seq and is caught up now.
    sockets.set(client, afterSeq === undefined ? lastSeq : Math.min(afterSeq, lastSeq));
    if (afterSeq !== undefined && afterSeq < lastSeq) await this.changed([user.id]);
  }

  leave(client: Client, tell: boolean): void {
    const userId = client.user?.id;
    const sockets = userId ? this.sockets.get(userId) : undefined;
    if (!userId || !sockets?.delete(client)) return;
    if (sockets.size === 0) this.sockets.delete(userId);
    if (tell) client.send({ type: "INBOX_UNSUBSCRIBED", scope: "INDIVIDUAL", data: { channel: "inbox" } });
  }

  /** These users' inboxes changed: send each subscribed socket the rows past its seq. */
  async changed(userIds: readonly string[]): Promise<void> {
    await Promise.all(userIds.filter((id) => this.sockets.has(id)).map((id) => this.fetch(id)));
  }

  private async fetch(userId: string): Promise<void> {
    if (this.running.has(userId)) {
      this.pending.add(userId);
      return;
    }
    this.running.add(userId);
    try {
      do {
        this.pending.delete(userId);
        await this.send(userId);
      } while (this.pending.has(userId));
    } catch (error) {
      this.logger.warn("inbox fan-out failed", { userId, error: String(error) });
    } finally {
      this.running.delete(userId);
    }
  }

  private async send(userId: string): Promise<void> {
    const sockets = this.sockets.get(userId);
    if (!sockets?.size) return;
    const from = Math.min(...sockets.values());
    const rows = await listInboxAfter(this.db, { userId, afterSeq: from, limit: MAX_REPLAY + 1 });
    if (!rows.length) return;
    const unreadCount = await countUnread(this.db, { userId });
    const messages = rows.slice(0, MAX_REPLAY).map((row) => ({
      seq: row.seq,
      json: JSON.stringify({
        type: "NOTIFICATION",
        scope: "INDIVIDUAL",
        data: { notification: toNotificationDto(row), unreadCount },
        meta: { ts: Date.now(), channel: "inbox", seq: row.seq },
      } satisfies TInboxMessage),
    }));
    const newest = rows.at(-1)?.seq ?? from;
    for (const [client, held] of sockets) {
      if (rows.length > MAX_REPLAY && held === from) {
        client.send({ type: "INBOX_RESYNC", scope: "INDIVIDUAL", data: { channel: "inbox", lastSeq: newest } });
      } else {
        for (const message of messages) if (message.seq > held) client.ws.send(message.json);
      }
      sockets.set(client, Math.max(held, newest));
    }
  }
}
