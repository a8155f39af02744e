/** The board benchmark's ports, sizes and seed values. */
// Both on `localhost` so the API's session cookie is same-site for the web origin.
export const API_PORT = 5578;
export const WEB_PORT = 3178;
export const API_URL = `http://localhost:${API_PORT}`;
export const WEB_URL = `http://localhost:${WEB_PORT}`;
export const BIG_TASKS = 5_000;
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

export type Board = { id: string; slug: string; tasks: number };
