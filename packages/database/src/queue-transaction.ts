import { type SQL, sql } from "drizzle-orm";
import type { DbHandle, Transaction } from "./client.ts";

/** What pg-boss needs to enqueue inside someone else's transaction (its `db` send option). */
export type QueueDb = { executeSql: (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }> };

/** pg-boss's `$1`-style statement as a Drizzle query: placeholders become bound parameters. */
function positional(text: string, values: unknown[]): SQL {
  const parts = text.split(/\$(\d+)/);
  return sql.join(parts.map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql`${values[Number(part) - 1]}`)));
}

/** pg-boss's `db` option over a transaction already open: its job commits (or not) with it. */
export function queueDbOf(tx: Transaction): QueueDb {
  return { executeSql: async (text, values = []) => ({ rows: [...(await tx.execute(positional(text, values)))] }) };
}

/**
 * One transaction shared by named queries and pg-boss: jobs are enqueued atomically with the
 * rows that caused them (a crash neither loses nor repeats one).
 */
export function withQueueTransaction<T>(
  handle: DbHandle,
  fn: (tx: Transaction, queue: QueueDb) => Promise<T>,
): Promise<T> {
  return handle.db.transaction((tx) => fn(tx, queueDbOf(tx)));
}
