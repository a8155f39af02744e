/**
 * What every benchmark shares: a database of its own, and clean-up that runs in reverse on
 * exit and on Ctrl-C, so an aborted run leaves no database or process behind.
 */
import { type composeBackend, createUserWithSession } from "@tandem/backend/compose";
import { connect } from "@tandem/database";

// Where a fresh database is created when DATABASE_URL is unset (trust auth, local Postgres).
export const ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";

type Cleanup = () => Promise<unknown>;
export const cleanups: Cleanup[] = [];

export async function runCleanups(): Promise<void> {
  for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) {
    await cleanup().catch((error: unknown) => console.error("cleanup failed:", error));
  }
}

/** The database to run on: DATABASE_URL, or a fresh one that is dropped afterwards. */
export async function prepareDatabase(): Promise<string> {
  const existing = process.env.DATABASE_URL;
  if (existing) return existing;
  const name = `tandem_bench_${Date.now()}`;
  const admin = connect(ADMIN_URL, { max: 1, applicationName: "tandem-bench-admin" });
  await admin.sql.unsafe(`create database ${name}`);
  cleanups.push(async () => {
    // `with (force)` because a pool that failed to close must not keep the database alive.
    await admin.sql.unsafe(`drop database if exists ${name} with (force)`);
    await admin.close();
  });
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A user made through Better Auth's server API, with their session cookie. */
export async function signUpBenchUser(
  auth: ReturnType<typeof composeBackend>["auth"],
  email: string,
  password = "correct-horse-battery",
) {
  return createUserWithSession(auth, { email, password, name: "Bench" });
}

/** Runs a benchmark's main, and its cleanups whether it ends, throws or is interrupted. */
export async function runBench(main: () => Promise<void>): Promise<void> {
  process.on("SIGINT", () => {
    void runCleanups().finally(() => process.exit(130));
  });
  try {
    await main();
  } finally {
    await runCleanups();
  }
}
