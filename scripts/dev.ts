/**
 * `bun run dev`: the whole product on embedded defaults. Without DATABASE_URL it starts one
 * embedded Postgres (PGlite under .data/, the only process that opens it) and hands its URL
 * to every app, with the demo org seeded.
 */
import { resolve } from "node:path";
import { startEmbeddedDatabase } from "@tandem/database/embedded";

const env: Record<string, string | undefined> = { ...process.env, TURBO_TELEMETRY_DISABLED: "1" };
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

const proc = Bun.spawn(["bun", "x", "turbo", "run", "dev", ...process.argv.slice(2)], {
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
