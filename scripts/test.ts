/**
 * `bun run test`: the whole suite. With DATABASE_URL set it runs against that Postgres;
 * without it, against a fresh embedded database (PGlite) started here for the run.
 * Ends with one summary line, `N passed, N failed`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedDatabase } from "@tandem/database/embedded";

const env: Record<string, string | undefined> = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", NODE_ENV: "test" };

/** Tracked files with changes (null outside a git checkout). */
function changedTrackedFiles(): Set<string> | null {
  const status = Bun.spawnSync(["git", "status", "--porcelain", "--untracked-files=no"], { stderr: "ignore" });
  return status.exitCode === 0 ? new Set(status.stdout.toString().split("\n").filter(Boolean)) : null;
}
const changedBefore = changedTrackedFiles();
let stopEmbedded: (() => Promise<void>) | undefined;
let dataDir: string | undefined;

if (!env.DATABASE_URL) {
  dataDir = mkdtempSync(join(tmpdir(), "tandem-test-"));
  const embedded = await startEmbeddedDatabase({ dataDir });
  stopEmbedded = embedded.stop;
  env.DATABASE_URL = embedded.url;
  console.log("DATABASE_URL not set: testing against an embedded database");
}

const filter = process.argv.slice(2);
const proc = Bun.spawn(
  ["bun", "x", "turbo", "run", "test", "--log-order=grouped", "--concurrency=1", "--continue", ...filter],
  { env, stdout: "pipe", stderr: "inherit" },
);

let output = "";
const decoder = new TextDecoder();
for await (const chunk of proc.stdout) {
  const text = decoder.decode(chunk);
  output += text;
  process.stdout.write(text);
}
const code = await proc.exited;
await stopEmbedded?.();
if (dataDir) rmSync(dataDir, { recursive: true, force: true });

// Sum the per-package summaries: bun's runner (" 12 pass", " 0 fail") and Playwright's
// ("  5 passed (12.3s)", "  1 failed"), each line prefixed by turbo with the package name.
const sum = (pattern: RegExp) => [...output.matchAll(pattern)].reduce((total, match) => total + Number(match[1]), 0);
const passed = sum(/^\S*\s+(\d+) pass$/gm) + sum(/^\S*\s+(\d+) passed \(/gm);
let failed = sum(/^\S*\s+(\d+) fail$/gm) + sum(/^\S*\s+(\d+) failed$/gm);

// A test run leaves the tree as it found it: artefacts go to ignored folders (e2e/.results);
// the README's screenshots change only through `bun run screenshots`.
const changedAfter = changedTrackedFiles();
const changedByRun = changedAfter ? [...changedAfter].filter((line) => !changedBefore?.has(line)) : [];
if (changedByRun.length > 0) {
  console.error(`The run changed tracked files (write test artefacts elsewhere):\n${changedByRun.join("\n")}`);
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(code !== 0 || failed > 0 || passed === 0 ? 1 : 0);
