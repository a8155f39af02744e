/** The board benchmark's ports, sizes and seed values. */
import { createServer } from "node:net";

/** BENCH_API_PORT / BENCH_WEB_PORT when set, else a port the kernel says is free right now. */
async function port(variable: string): Promise<number> {
  const given = process.env[variable];
  if (given) {
    const value = Number(given);
    if (!Number.isInteger(value) || value <= 0 || value > 65_535) throw new Error(`bad ${variable}=${given}`);
    return value;
  }
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const free = typeof address === "object" && address ? address.port : 0;
      probe.close(() => (free > 0 ? resolve(free) : reject(new Error("no free port"))));
    });
  });
}

// Both on `localhost` so the API's session cookie is same-site for the web origin.
export const API_PORT = await port("BENCH_API_PORT");
export const WEB_PORT = await port("BENCH_WEB_PORT");
export const API_URL = `http://localhost:${API_PORT}`;
export const WEB_URL = `http://localhost:${WEB_PORT}`;
export const BIG_TASKS = 5_000;
/** The big org's tasks are spread round-robin over this many projects; its board shows the first. */
export const BIG_PROJECTS = 3;
export const SMALL_TASKS = 50;
export const SEED_CONCURRENCY = 8;
export const RUNS = 3;
export const PAGE_LIMIT = 1_000; // what the web app asks for per page (apps/start/src/lib/queries.ts)
export const STEP_TIMEOUT_MS = 30_000;
export const PASSWORD = "correct-horse-battery";
// Kept local: the root package does not depend on @tandem/contracts; createTestTask's input type
// still checks these against the real enums.
export const STATUSES = ["backlog", "todo", "in_progress", "done", "canceled"] as const;
export const PRIORITIES = ["none", "low", "medium", "high", "urgent"] as const;

/** An org and the project its board opens (`/o/<slug>` shows the first project): `tasks` of it. */
export type Board = { id: string; slug: string; project: string; tasks: number; orgTasks: number };
