/**
 * Lighthouse scores of the login page and the board: `bun run bench:lighthouse`.
 *
 * Builds the web app for production, serves it with the real backend on real Postgres, and
 * runs Lighthouse 12 (its default config: the mobile preset, simulated slow 4G and a 4× slower
 * CPU) in Debian's Chromium, three times per page; prints each run and the medians of the
 * performance and accessibility scores with the metrics behind them. Targets: performance 90
 * or more, accessibility 100. Not a test: scores move with the machine's load.
 *
 * DATABASE_URL: use that database (its data is left behind).
 * Unset: create `tandem_bench_<timestamp>` on 127.0.0.1:5432 and drop it at the end.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { composeBackend } from "@tandem/backend/compose";
import { connect, runMigrations } from "@tandem/database";
import { createTestOrg, createTestTask } from "@tandem/domain/testing";
import { createLogger } from "@tandem/util/server";
import lighthouse from "lighthouse";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../apps/start/chromium.ts";
import { cleanups, prepareDatabase, runBench, signUpBenchUser } from "./lifecycle.ts";
import { median } from "./stats.ts";
import { buildWebApp, seconds, startWebServer } from "./web-app.ts";

// Both on `localhost` so the API's session cookie is same-site for the web origin.
const API_PORT = 5656;
const WEB_PORT = 5657;
const CDP_PORT = 5658;
const API_URL = `http://localhost:${API_PORT}`;
const WEB_URL = `http://localhost:${WEB_PORT}`;
const RUNS = 3;
const TASKS = 30; // the demo board's size
const STATUSES = ["backlog", "todo", "in_progress", "done", "canceled"] as const;
const PRIORITIES = ["none", "low", "medium", "high", "urgent"] as const;
const METRICS = [
  ["first-contentful-paint", "FCP"],
  ["largest-contentful-paint", "LCP"],
  ["total-blocking-time", "TBT"],
  ["cumulative-layout-shift", "CLS"],
  ["speed-index", "SI"],
] as const;

async function startBackend(databaseUrl: string) {
  const handle = connect(databaseUrl, { applicationName: "tandem-bench" });
  cleanups.push(() => handle.close());
  const backend = composeBackend({
    handle,
    databaseUrl,
    secret: "bench-secret-bench-secret-bench-secret-01",
    baseURL: API_URL,
    webOrigins: [WEB_URL],
    logger: createLogger({ service: "bench" }, "warn"),
  });
  const running = await backend.serve({ port: API_PORT, hostname: "127.0.0.1" });
  cleanups.push(() => running.stop());
  const { cookie, userId } = await signUpBenchUser(backend.auth, `bench-lighthouse-${Date.now()}@example.test`);
  const org = await createTestOrg(handle.db, { ownerId: userId, name: "Lighthouse board", prefix: "LH" });
  for (let i = 0; i < TASKS; i++) {
    await createTestTask(handle.db, org.id, {
      title: `Seeded task ${i + 1}`,
      status: STATUSES[i % STATUSES.length],
      priority: PRIORITIES[Math.floor(i / STATUSES.length) % PRIORITIES.length],
    });
  }
  return { cookie, slug: org.slug };
}

/** Debian's Chromium with a DevTools port for Lighthouse; its own profile, removed afterwards. */
async function startChromium(): Promise<void> {
  const profile = mkdtempSync(join(tmpdir(), "tandem-lighthouse-"));
  const child = Bun.spawn(
    [CHROMIUM_PATH, ...CHROMIUM_ARGS, `--remote-debugging-port=${CDP_PORT}`, `--user-data-dir=${profile}`],
    { stdout: "ignore", stderr: "ignore" },
  );
  cleanups.push(async () => {
    child.kill(); // its own pid only
    await child.exited;
    rmSync(profile, { recursive: true, force: true });
  });
  const deadline = performance.now() + 20_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`chromium exited with ${child.exitCode}`);
    const up = await fetch(`http://127.0.0.1:${CDP_PORT}/json/version`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return;
    await Bun.sleep(200);
  }
  throw new Error("chromium did not open its DevTools port");
}

type Scores = { performance: number; accessibility: number; metrics: Record<string, string> };

async function audit(url: string, cookie?: string): Promise<Scores> {
  const result = await lighthouse(url, {
    port: CDP_PORT,
    output: "json",
    logLevel: "error",
    onlyCategories: ["performance", "accessibility"],
    // The board needs a session: sent with every request, the API's cross-origin calls included.
    extraHeaders: cookie ? { cookie } : undefined,
  });
  if (!result) throw new Error(`lighthouse returned nothing for ${url}`);
  const { categories, audits, runtimeError } = result.lhr;
  if (runtimeError) throw new Error(`lighthouse: ${runtimeError.code} ${runtimeError.message}`);
  const failing = Object.values(audits)
    .filter((entry) => entry.scoreDisplayMode === "binary" && entry.score === 0)
    .filter((entry) => categories.accessibility?.auditRefs.some((ref) => ref.id === entry.id))
    .map((entry) => entry.id);
  if (failing.length) console.log(`    accessibility audits failing: ${failing.join(", ")}`);
  return {
    performance: Math.round((categories.performance?.score ?? 0) * 100),
    accessibility: Math.round((categories.accessibility?.score ?? 0) * 100),
    metrics: Object.fromEntries(METRICS.map(([id, name]) => [name, audits[id]?.displayValue ?? "?"])),
  };
}

function line(label: string, scores: Scores): string {
  const metrics = Object.entries(scores.metrics)
    .map(([name, value]) => `${name} ${value}`)
    .join(", ");
  return `  ${label.padEnd(14)} performance ${String(scores.performance).padStart(3)}  accessibility ${String(scores.accessibility).padStart(3)}  (${metrics})`;
}

async function main(): Promise<void> {
  const started = performance.now();
  const build = buildWebApp();
  build.catch(() => {}); // awaited below
  const databaseUrl = await prepareDatabase();
  await runMigrations(databaseUrl);
  const { cookie, slug } = await startBackend(databaseUrl);
  await build;
  await startWebServer(WEB_PORT, API_URL);
  await startChromium();

  const pages = [
    { name: "login", url: `${WEB_URL}/login`, cookie: undefined },
    { name: "board", url: `${WEB_URL}/o/${slug}`, cookie },
  ];
  const [load1 = 0] = loadavg();
  console.log(`lighthouse 12, mobile preset, ${RUNS} runs per page (load average ${load1.toFixed(1)}):`);
  const results = new Map<string, Scores[]>(pages.map((page) => [page.name, []]));
  // Unmeasured first visit: warms the server and Chromium's disk cache of nothing we keep.
  await audit(pages[0]?.url ?? WEB_URL);
  for (let run = 1; run <= RUNS; run++) {
    for (const page of pages) {
      const scores = await audit(page.url, page.cookie);
      results.get(page.name)?.push(scores);
      console.log(line(`run ${run} ${page.name}`, scores));
    }
  }
  console.log(`\nmedians (${seconds(started)} total; targets: performance ≥ 90, accessibility 100):`);
  for (const [name, runs] of results) {
    const performanceScore = median(runs.map((scores) => scores.performance));
    const accessibilityScore = median(runs.map((scores) => scores.accessibility));
    console.log(`  ${name.padEnd(6)} performance ${performanceScore}  accessibility ${accessibilityScore}`);
  }
}

await runBench(main);
