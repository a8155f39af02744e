/**
 * The notifier's cost to mutations (SPEC §14), for `bench:api`: task creates that each notify
 * an assignee, against a backend without a notifier and against one running it (woken by every
 * local commit, writing the assignee's notification). Also how long the notifier takes to catch
 * up once the load stops, and that it wrote one notification per create.
 */
import type { DbHandle } from "@tandem/database";
import { addTestMember } from "@tandem/domain/testing";

/** A member for the creates to assign (every create notifies them). */
export async function addAssignee(handle: DbHandle, orgId: string, userId: string): Promise<void> {
  await addTestMember(handle.db, { orgId, userId, permissions: [] });
}

/** Waits until the notifier's cursor reaches the org's last seq; the wait in ms. */
export async function catchUpMs(handle: DbHandle, orgId: string, timeoutMs = 120_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const [row] = await handle.sql<{ behind: number }[]>`
      select (o.last_event_seq - coalesce(c.last_seq, 0))::int as behind
        from org_counter o left join event_cursor c on c.org_id = o.org_id and c.consumer = 'notifier'
       where o.org_id = ${orgId}`;
    if ((row?.behind ?? 0) === 0) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`notifier still ${row?.behind} events behind`);
    await Bun.sleep(20);
  }
}

export async function countNotifications(handle: DbHandle, orgId: string): Promise<number> {
  const [row] = await handle.sql<{ n: number }[]>`select count(*)::int as n from notification where org_id = ${orgId}`;
  return row?.n ?? 0;
}
