import { type DbHandle, systemLastEventSeqs } from "@tandem/database";
import type { Logger } from "@tandem/util/server";
import type { Hub } from "./hub.ts";

export type TailerOptions = {
  /** LISTEN for commit notifications (real Postgres); off on the embedded database. */
  listen: boolean;
  /** How often to compare cursors with the log: the only path when not listening, a safety net otherwise. */
  pollMs: number;
};

/**
 * Feeds the hub from the event log. Three wake-ups, one fetch path: this process's own
 * commits (immediately, through the Ctx's commit notifier: see compose.ts), Postgres NOTIFY
 * from any process (the `event` insert trigger), and a poll of every followed org's last
 * seq. Whatever wakes it, the hub reads `seq > cursor`.
 * A deleted org takes its log with it, so deletion arrives on the same three paths as a signal.
 */
export async function startEventTailer(
  handle: DbHandle,
  hub: Hub,
  logger: Logger,
  options: TailerOptions,
): Promise<() => Promise<void>> {
  let unlisten: (() => Promise<void>) | null = null;
  if (options.listen) {
    const listener = await handle.sql.listen(
      "tandem_events",
      (payload) => {
        // `orgId:seq` for an appended event, `orgId:deleted` when the org went away.
        const colon = payload.lastIndexOf(":");
        const orgId = payload.slice(0, colon);
        const seq = Number(payload.slice(colon + 1));
        if (payload.endsWith(":deleted")) hub.dropOrg(orgId);
        else if (Number.isSafeInteger(seq)) hub.notified(orgId, seq);
        else void hub.wake(orgId);
      },
      // After a reconnect notifications may have been missed: catch every followed org up.
      () => {
        for (const orgId of hub.trackedOrgIds()) void hub.wake(orgId);
      },
    );
    // Inboxes changed by another instance's notifier or request (the notification trigger).
    const inbox = await handle.sql.listen("tandem_inbox", (userId) => void hub.inboxChanged([userId]));
    unlisten = async () => {
      await listener.unlisten();
      await inbox.unlisten();
    };
  }
  let polling = false;
  const timer = setInterval(async () => {
    const orgIds = hub.trackedOrgIds();
    if (polling || orgIds.length === 0) return;
    polling = true;
    try {
      const rows = await systemLastEventSeqs(handle.db, { orgIds });
      for (const row of rows) hub.observe(row.orgId, row.last);
      // Every followed org existed when it was followed: one that is gone now was deleted.
      const found = new Set(rows.map((row) => row.orgId));
      for (const orgId of orgIds) if (!found.has(orgId)) hub.dropOrg(orgId);
    } catch (error) {
      logger.warn("event poll failed", { error: error instanceof Error ? error.message : String(error) });
    } finally {
      polling = false;
    }
  }, options.pollMs);
  return async () => {
    clearInterval(timer);
    await unlisten?.();
  };
}
