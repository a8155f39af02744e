import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Executor } from "./client.ts";

const dialect = new PgDialect({ casing: "snake_case" });

/**
 * Runs raw SQL as a prepared statement, on the pool or inside the caller's transaction.
 * `drizzle-orm/postgres-js` asks postgres.js to prepare only NAMED queries (`prepare: name !==
 * undefined`), and `db.execute` never names one, so every call was parsed and planned again.
 * postgres.js keeps one server-side statement per distinct text on each connection (the name
 * here only switches that on; use the same name as the call site's function for logs). Builder
 * queries get the same with `.prepare(name).execute()`. Where the pool was opened with
 * `prepare: false` (the embedded database), both still run, unprepared.
 */
export function executePrepared<Row>(db: Executor, name: string, query: SQL): Promise<Row[]> {
  return db._.session
    .prepareQuery<{ execute: Row[]; all: Row[]; values: unknown[][] }>(
      dialect.sqlToQuery(query),
      undefined,
      name,
      false,
    )
    .execute();
}
