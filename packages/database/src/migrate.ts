import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));
// Any constant shared by every instance; keeps two backends booting at once from racing.
const MIGRATION_LOCK_KEY = 727_001;

/** Applies pending drizzle-kit migrations under an advisory lock; safe to call on every boot. */
export async function runMigrations(url: string): Promise<void> {
  const clean = new URL(url);
  clean.searchParams.delete("embedded");
  const sql = postgres(clean.toString(), { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      await migrate(drizzle(sql), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}
