/**
 * Builds the site once per `bun test` process (every test file shares the same build), with the
 * same command as `bun run build`.
 */
import { join } from "node:path";

export const APP_DIR = join(import.meta.dir, "..");
export const DIST = join(APP_DIR, "dist");

type BuildResult = { ok: boolean; output: string; ms: number };
const KEY = Symbol.for("tandem.marketing.build");
const cache = globalThis as typeof globalThis & { [KEY]?: Promise<BuildResult> };

export function buildSite(): Promise<BuildResult> {
  cache[KEY] ??= (async () => {
    const started = performance.now();
    const proc = Bun.spawn(["bun", "run", "build"], {
      cwd: APP_DIR,
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, stderr, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    return { ok: code === 0, output: `${stdout}\n${stderr}`, ms: Math.round(performance.now() - started) };
  })();
  return cache[KEY];
}
