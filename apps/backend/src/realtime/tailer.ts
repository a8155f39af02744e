import { type DbHandle, lastEventSeqs } from "@tandem/database";
import { onCommitted } from "@tandem/domain";
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
 * commits (immediately), Postgres NOTIFY from any process (the `event` insert trigger), and
 * a poll of every followed org's last seq. Whatever wakes it, the hub reads `seq > cursor`.
 */
export async function startEventTailer(
  handle: DbHandle,
  hub: Hub,
  logger: Logger,
  options: TailerOptions,
): Promise<() => Promise<void>> {
  const stopLocal = onCommitted((orgId) => void hub.wake(orgId));
  let unlisten: (() => Promise<void>) | null = null;
  if (options.listen) {
    const listener = await handle.sql.listen(
      "tandem_events",
      (payload) => {
        const orgId = payload.slice(0, payload.lastIndexOf(":"));
        void hub.wake(orgId);
      },
      // After a reconnect notifications may have been missed: catch every followed org up.
      () => {
        for (const orgId of hub.trackedOrgIds()) void hub.wake(orgId);
      },
    );
    unlisten = listener.unlisten;
  }
  let polling = false;
  const timer = setInterval(async () => {
    const orgIds = hub.trackedOrgIds();
    if (polling || orgIds.length === 0) return;
    polling = true;
    try {
      for (const row of await lastEventSeqs(handle.db, { orgIds })) hub.observe(row.orgId, row.last);
    } catch (error) {
      logger.warn("event poll failed", { error: error instanceof Error ? error.message : String(error) });
    } finally {
      polling = false;
    }
  }, options.pollMs);
  return async () => {
    clearInterval(timer);
    stopLocal();
    await unlisten?.();
  };
}
