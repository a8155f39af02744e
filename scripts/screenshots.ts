/**
 * `bun run screenshots`: refreshes the README's screenshots in docs/screenshots by running the
 * browser tests that take them (every e2e spec that calls `screenshot(…)`) with
 * SCREENSHOTS_DIR pointing there. `bun run test` never writes them (it keeps its artefacts in
 * apps/start/e2e/.results). Same database rules as the test run: DATABASE_URL, or a fresh
 * embedded database.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startEmbeddedDatabase } from "@tandem/database/embedded";

const root = resolve(import.meta.dir, "..");
const web = join(root, "apps/start");
const specs = readdirSync(join(web, "e2e")).filter(
  (file) => file.endsWith(".spec.ts") && /\bscreenshot\(/.test(readFileSync(join(web, "e2e", file), "utf8")),
);
const env: Record<string, string | undefined> = {
  ...process.env,
  SCREENSHOTS_DIR: join(root, "docs/screenshots"),
  NODE_ENV: "production",
};
let stopEmbedded: (() => Promise<void>) | undefined;
let dataDir: string | undefined;
if (!env.DATABASE_URL) {
  dataDir = mkdtempSync(join(tmpdir(), "tandem-screenshots-"));
  const embedded = await startEmbeddedDatabase({ dataDir });
  stopEmbedded = embedded.stop;
  env.DATABASE_URL = embedded.url;
}

const run = (command: string[]) => Bun.spawnSync(command, { cwd: web, env, stdout: "inherit", stderr: "inherit" });
let code = run(["bun", "e2e/ensure-chromium.ts"]).exitCode;
if (code === 0) code = run(["bun", "--bun", "vite", "build"]).exitCode;
if (code === 0) code = run(["bun", "x", "playwright", "test", ...specs.map((spec) => `e2e/${spec}`)]).exitCode;
await stopEmbedded?.();
if (dataDir) rmSync(dataDir, { recursive: true, force: true });
console.log(code === 0 ? `screenshots refreshed in docs/screenshots from ${specs.join(", ")}` : "screenshots failed");
process.exit(code);
