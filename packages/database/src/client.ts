import { sql } from "drizzle-orm";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema/index.ts";

export type Schema = typeof schema;
export type Database = PostgresJsDatabase<Schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Anything a query can run on: the pool or an open transaction. */
export type Executor = Database | Transaction;

export type DbHandle = { db: Database; sql: postgres.Sql; close: () => Promise<void> };

export type ConnectOptions = {
  max?: number;
  /**
   * Named prepared statements. Off for the embedded database: its connections share one
   * backend, so per-connection statement names would collide.
   */
  prepare?: boolean;
  applicationName?: string;
};

export function isEmbeddedUrl(url: string): boolean {
  return new URL(url).searchParams.get("embedded") === "1";
}

export function connect(url: string, options: ConnectOptions = {}): DbHandle {
  const embedded = isEmbeddedUrl(url);
  const cleanUrl = new URL(url);
  cleanUrl.searchParams.delete("embedded");
  const sql = postgres(cleanUrl.toString(), {
    max: options.max ?? (embedded ? 4 : 10),
    prepare: options.prepare ?? !embedded,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? "tandem" },
  });
  const db = drizzle(sql, { schema, casing: "snake_case" });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

/** Readiness probe: one round trip. */
export async function ping(db: Database): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
