/**
 * `bun run dev`: the whole product on embedded defaults. Without DATABASE_URL it starts one
 * embedded Postgres (PGlite under .data/, the only process that opens it) and hands its URL
 * to every app, with the demo org seeded.
 *
 * Each app listens on its own variable (BACKEND_PORT, WEB_PORT, WORKER_PORT, DOCS_PORT) and
 * derives the cross-URLs (API_URL, BETTER_AUTH_URL, WEB_ORIGINS) from them unless set. The root .env
 * (which Bun loads for this script) reaches every app: turbo runs in loose env mode here.
 */
import { resolve } from "node:path";
import { startEmbeddedDatabase } from "@tandem/database/embedded";
import { withoutEmptyValues } from "@tandem/util/server";

const env: Record<string, string | undefined> = { ...withoutEmptyValues(process.env), TURBO_TELEMETRY_DISABLED: "1" };
if (env.PORT) {
  // Every app would read it and all four would try the same port.
  console.warn(`PORT=${env.PORT} is ignored by \`bun run dev\`: set BACKEND_PORT, WEB_PORT, WORKER_PORT or DOCS_PORT.`);
  delete env.PORT;
}
let stopEmbedded: (() => Promise<void>) | undefined;

if (!env.DATABASE_URL) {
  const dataDir = resolve(env.DATA_DIR ?? ".data");
  console.log(`Starting the embedded database in ${dataDir} (set DATABASE_URL to use Postgres)…`);
  const embedded = await startEmbeddedDatabase({ dataDir, port: Number(env.EMBEDDED_DB_PORT ?? 0) });
  stopEmbedded = embedded.stop;
  env.DATABASE_URL = embedded.url;
  env.SEED_DEMO ??= "1";
  env.DATA_DIR = dataDir;
}
// The apps apply the same defaults (apps/*/src/env.ts, vite.config.ts, astro.config.mjs).
const url = (port: string | undefined, fallback: number) => `http://localhost:${port ?? fallback}`;
console.log(
  `board ${url(env.WEB_PORT, 3000)} · API ${env.API_URL ?? url(env.BACKEND_PORT, 5468)} · ` +
    `worker ${url(env.WORKER_PORT, 5469)} · docs ${url(env.DOCS_PORT, 3002)}`,
);

const proc = Bun.spawn(["bun", "x", "turbo", "run", "dev", "--env-mode=loose", ...process.argv.slice(2)], {
  env,
  stdout: "inherit",
  stderr: "inherit",
});

let stopping = false;
async function shutdown(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  proc.kill(signal);
  await proc.exited;
  await stopEmbedded?.();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

const code = await proc.exited;
await stopEmbedded?.();
process.exit(code);
