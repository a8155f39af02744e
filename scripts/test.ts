/**
 * `bun run test`: the whole suite. With DATABASE_URL set (a Postgres server) the packages run
 * one at a time by default (measured: on 2 cores the browser and backend suites side by side take
 * longer in total than in turn); TEST_CONCURRENCY=N runs N side by side, the slowest first, each on a fresh database of its own made on that server for the run (so one
 * package's workers, queues and logs never meet another's); without it, one package at a time
 * against a fresh embedded database (PGlite) started here for the run.
 * `bun run test --filter=@tandem/backend` runs only the named package(s).
 * Each package's output is printed as one block when it ends, and the run ends with one
 * summary line, `N passed, N failed`.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@tandem/database";
import { startEmbeddedDatabase } from "@tandem/database/embedded";

const ROOT = join(import.meta.dir, "..");
const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: "test" };

type Workspace = { name: string; dir: string };

/** Workspaces with a `test` script, the slowest first (the browser tests set the wall time). */
async function testedWorkspaces(): Promise<Workspace[]> {
  const found: Workspace[] = [];
  for (const group of ["apps", "packages"]) {
    for (const entry of readdirSync(join(ROOT, group)).sort()) {
      const file = Bun.file(join(ROOT, group, entry, "package.json"));
      if (!(await file.exists())) continue;
      const manifest = (await file.json()) as { name: string; scripts?: { test?: string } };
      if (manifest.scripts?.test) found.push({ name: manifest.name, dir: join(ROOT, group, entry) });
    }
  }
  const first = ["@tandem/start", "@tandem/backend", "@tandem/worker"];
  const rank = (name: string) => (first.includes(name) ? first.indexOf(name) : first.length);
  return found.sort((a, b) => rank(a.name) - rank(b.name));
}

/** `--filter=name` / `--filter name` (repeatable; `@tandem/` may be left out). */
function selected(args: string[]): string[] {
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    const value = arg.startsWith("--filter=") ? arg.slice("--filter=".length) : arg === "--filter" ? args[++i] : null;
    if (!value) throw new Error(`unknown argument ${arg}: use --filter=<package>`);
    names.push(value.startsWith("@") ? value : `@tandem/${value}`);
  }
  return names;
}

/** Tracked files with changes (null outside a git checkout). */
function changedTrackedFiles(): Set<string> | null {
  const status = Bun.spawnSync(["git", "status", "--porcelain", "--untracked-files=no"], { stderr: "ignore" });
  return status.exitCode === 0 ? new Set(status.stdout.toString().split("\n").filter(Boolean)) : null;
}

/** Runs one package's `test` script; its output (stdout and stderr) comes back prefixed, as one block. */
async function runPackage(workspace: Workspace, databaseUrl: string): Promise<{ output: string; code: number }> {
  const started = performance.now();
  console.log(`${workspace.name}: testing`);
  const proc = Bun.spawn(["bun", "run", "test"], {
    cwd: workspace.dir,
    env: { ...env, DATABASE_URL: databaseUrl },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  const prefix = `${workspace.name}:test: `;
  const lines = `${stdout}${stderr}`.split("\n").filter((line, i, all) => line !== "" || i < all.length - 1);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const output = `${lines.map((line) => `${prefix}${line}`).join("\n")}\n${prefix}exit ${code} after ${seconds}s\n`;
  process.stdout.write(output);
  return { output, code };
}

/** Runs `work` over `items`, at most `lanes` at a time, in order; results in the items' order. */
async function pool<T, R>(items: T[], lanes: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  const queue = items.map((item, index) => ({ item, index }));
  const lane = async () => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) results[entry.index] = await work(entry.item);
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
  return results;
}

const changedBefore = changedTrackedFiles();
const wanted = selected(process.argv.slice(2));
const workspaces = (await testedWorkspaces()).filter((w) => wanted.length === 0 || wanted.includes(w.name));
if (workspaces.length === 0) throw new Error(`no package with a test script matches ${wanted.join(", ")}`);

const cleanups: (() => Promise<void>)[] = [];
let results: { output: string; code: number }[];
if (env.DATABASE_URL) {
  // One database per package on the given server, made for this run and dropped after it.
  const base = new URL(env.DATABASE_URL);
  const admin = connect(env.DATABASE_URL, { max: 1 });
  const stem = `${base.pathname.slice(1) || "tandem"}`.slice(0, 40);
  const urls = new Map<string, string>();
  for (const workspace of workspaces) {
    const name = `${stem}_${workspace.name.replace(/^@tandem\//, "").replace(/\W/g, "_")}`;
    await admin.sql.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.sql.unsafe(`create database "${name}"`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    urls.set(workspace.name, url.toString());
  }
  cleanups.push(async () => {
    for (const url of urls.values()) {
      await admin.sql.unsafe(`drop database if exists "${new URL(url).pathname.slice(1)}" with (force)`);
    }
    await admin.close();
  });
  const lanes = Math.max(1, Number(env.TEST_CONCURRENCY) || 1);
  results = await pool(workspaces, lanes, (w) => runPackage(w, urls.get(w.name) ?? ""));
} else {
  // PGlite answers one query at a time in this process: the packages take turns.
  const dataDir = mkdtempSync(join(tmpdir(), "tandem-test-"));
  const embedded = await startEmbeddedDatabase({ dataDir });
  cleanups.push(async () => {
    await embedded.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  console.log("DATABASE_URL not set: testing against an embedded database, one package at a time");
  results = [];
  for (const workspace of workspaces) results.push(await runPackage(workspace, embedded.url));
}
for (const cleanup of cleanups) await cleanup();

// Sum the per-package summaries: bun's runner (" 12 pass", " 0 fail") and Playwright's
// ("  5 passed (12.3s)", "  1 failed"), each line prefixed with the package name.
const output = results.map((result) => result.output).join("");
const sum = (pattern: RegExp) => [...output.matchAll(pattern)].reduce((total, match) => total + Number(match[1]), 0);
const passed = sum(/^\S*\s+(\d+) pass$/gm) + sum(/^\S*\s+(\d+) passed \(/gm);
let failed = sum(/^\S*\s+(\d+) fail$/gm) + sum(/^\S*\s+(\d+) failed$/gm);
const failedPackages = workspaces.filter((_, i) => results[i]?.code !== 0).map((w) => w.name);
if (failedPackages.length > 0) console.error(`Packages whose tests failed: ${failedPackages.join(", ")}`);

// A test run leaves the tree as it found it: artefacts go to ignored folders (e2e/.results);
// the README's screenshots change only through `bun run screenshots`.
const changedAfter = changedTrackedFiles();
const changedByRun = changedAfter ? [...changedAfter].filter((line) => !changedBefore?.has(line)) : [];
if (changedByRun.length > 0) {
  console.error(`The run changed tracked files (write test artefacts elsewhere):\n${changedByRun.join("\n")}`);
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failedPackages.length > 0 || failed > 0 || passed === 0 ? 1 : 0);
