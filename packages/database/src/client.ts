import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { type DatabaseAvailability, trackAvailability } from "./availability.ts";
import * as schema from "./schema/index.ts";

export type Schema = typeof schema;
export type Database = PostgresJsDatabase<Schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Anything a query can run on: the pool or an open transaction. */
export type Executor = Database | Transaction;

export type DbHandle = {
  db: Database;
  sql: postgres.Sql;
  /** Whether the server answers; the HTTP edges fail fast with 503 while it does not. */
  availability: DatabaseAvailability;
  close: () => Promise<void>;
};

/**
 * Server-side limits for the app's connections, so one stuck lock or query cannot hold a
 * connection for long (0 turns one off). Not sent to the embedded database.
 */
export type DbTimeouts = { statementMs: number; lockMs: number; idleInTransactionMs: number };
export const DEFAULT_DB_TIMEOUTS: DbTimeouts = { statementMs: 15_000, lockMs: 5_000, idleInTransactionMs: 30_000 };

export type ConnectOptions = {
  max?: number;
  /**
   * Named prepared statements. Off for the embedded database: its connections share one
   * backend, so per-connection statement names would collide.
   */
  prepare?: boolean;
  applicationName?: string;
  timeouts?: DbTimeouts;
  onAvailabilityChange?: (up: boolean) => void;
  /**
   * `off` for a pool whose writes may be lost in a crash without harm (the webhook sender's
   * delivery log and cursors: a lost cursor move only sends an event again). Postgres only.
   */
  synchronousCommit?: "on" | "off";
  /** Told the text of every statement sent (tests count round trips with it). */
  onQuery?: (query: string) => void;
};

export function isEmbeddedUrl(url: string): boolean {
  return new URL(url).searchParams.get("embedded") === "1";
}

export function connect(url: string, options: ConnectOptions = {}): DbHandle {
  const embedded = isEmbeddedUrl(url);
  const cleanUrl = new URL(url);
  cleanUrl.searchParams.delete("embedded");
  const timeouts = options.timeouts ?? DEFAULT_DB_TIMEOUTS;
  const availability = trackAvailability(cleanUrl.toString(), { onChange: options.onAvailabilityChange });
  const sql = postgres(cleanUrl.toString(), {
    max: options.max ?? (embedded ? 4 : 10),
    prepare: options.prepare ?? !embedded,
    onnotice: () => {},
    ...(options.onQuery ? { debug: (_connection: number, query: string) => options.onQuery?.(query) } : {}),
    // Reconnect quickly once the server is back (the default backoff grows to 20 s);
    // while it is down, requests are answered by the availability check, not by the pool.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    connect_timeout: 5,
    onclose: () => availability.suspect(),
    connection: {
      application_name: options.applicationName ?? "tandem",
      // Startup parameters: every connection of the pool gets them, with no extra round trip.
      ...(embedded
        ? {}
        : {
            statement_timeout: timeouts.statementMs,
            lock_timeout: timeouts.lockMs,
            idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
            ...(options.synchronousCommit ? { synchronous_commit: options.synchronousCommit } : {}),
          }),
    },
  });
  const db = drizzle(sql, { schema, casing: "snake_case" });
  return {
    db,
    sql,
    availability,
    close: async () => {
      // First, so the pool's own closing connections do not start a probe.
      await availability.close();
      await sql.end({ timeout: 5 });
    },
  };
}
