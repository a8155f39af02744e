/**
 * Board load benchmark in Chromium: `bun run bench:board`.
 *
 * Seeds one org with 5,000 tasks and a baseline org with 50, serves the real backend and the
 * built web app, and measures in headless Chromium, per navigation to `/o/<slug>`:
 *   - time to the "To do" column and to the first card being visible, and to the card being
 *     clickable (Playwright's actionability checks: visible, stable, receives events);
 *   - click on that card to the task dialog being visible;
 *   - the JS heap (raw, and after a forced GC), DOM node count and task cards in the DOM.
 * Baseline and big board alternate, 3 runs each after one unmeasured warm-up each; medians and
 * big/baseline ratios are printed. Also prints the snapshot bytes the 5,000-task board downloads.
 *
 * DATABASE_URL: use that database (its data is left behind).
 * Unset: create `tandem_bench_<timestamp>` on 127.0.0.1:5432 and drop it at the end.
 */
import { cpus, loadavg } from "node:os";
import { composeBackend } from "@tandem/backend/compose";
import { connect, type DbHandle, runMigrations } from "@tandem/database";
import { createTestOrg, createTestTask } from "@tandem/domain/testing";
import { createLogger } from "@tandem/util/server";
// Debian's Chromium with the e2e tests' flags; never a downloaded browser.
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../apps/start/chromium.ts";
import { cleanups, prepareDatabase, runCleanups, signUpBenchUser } from "./lifecycle.ts";
import { median } from "./stats.ts";
import { buildWebApp, START_DIR, seconds, startWebServer } from "./web-app.ts";

// Both on `localhost` so the API's session cookie is same-site for the web origin.
const API_PORT = 5578;
const WEB_PORT = 3178;
const API_URL = `http://localhost:${API_PORT}`;
const WEB_URL = `http://localhost:${WEB_PORT}`;
const BIG_TASKS = 5_000;
const SMALL_TASKS = 50;
const SEED_CONCURRENCY = 8;
const RUNS = 3;
const PAGE_LIMIT = 1_000; // what the web app asks for per page (apps/start/src/lib/queries.ts)
const STEP_TIMEOUT_MS = 30_000;
const PASSWORD = "correct-horse-battery";
// Kept local: the root package does not depend on @tandem/contracts; createTestTask's input type
// still checks these against the real enums.
const STATUSES = ["backlog", "todo", "in_progress", "done", "canceled"] as const;
const PRIORITIES = ["none", "low", "medium", "high", "urgent"] as const;

// The slice of Playwright's API used here. Playwright is a dependency of apps/start, not of the
// root, so it is loaded from there at run time (loadPlaywright) and bench/ cannot import its
// types by name; a relative path into apps/start/node_modules does not typecheck either, since
// its own `playwright/test` import only resolves from bun's real package folder.
type Locator = {
  first(): Locator;
  fill(value: string): Promise<void>;
  click(options?: { trial?: boolean }): Promise<void>;
  waitFor(options: { state: "visible" }): Promise<void>;
  count(): Promise<number>;
};
type Page = {
  goto(url: string, options?: { waitUntil?: "commit" | "load" }): Promise<unknown>;
  waitForURL(predicate: (url: URL) => boolean): Promise<void>;
  getByLabel(text: string): Locator;
  getByRole(role: "button", options: { name: string }): Locator;
  getByTestId(testId: string): Locator;
  locator(selector: string): Locator;
  close(): Promise<void>;
};
type CDPSession = {
  send(method: "Performance.getMetrics"): Promise<{ metrics: { name: string; value: number }[] }>;
  send(method: "Performance.enable" | "HeapProfiler.collectGarbage"): Promise<unknown>;
  detach(): Promise<void>;
};
type BrowserContext = {
  setDefaultTimeout(ms: number): void;
  newPage(): Promise<Page>;
  newCDPSession(page: Page): Promise<CDPSession>;
};
type Browser = {
  newContext(options: { viewport: { width: number; height: number } }): Promise<BrowserContext>;
  close(): Promise<void>;
};
type Playwright = { chromium: { launch(options: { executablePath: string; args: string[] }): Promise<Browser> } };

// ---------------------------------------------------------------------------------------------
// Database, backend and seed

type Backend = { handle: DbHandle; auth: ReturnType<typeof composeBackend>["auth"] };

async function startBackend(databaseUrl: string): Promise<Backend> {
  const handle = connect(databaseUrl, { applicationName: "tandem-bench" });
  cleanups.push(() => handle.close());
  const backend = composeBackend({
    handle,
    databaseUrl,
    secret: "bench-secret-bench-secret-bench-secret-01",
    baseURL: API_URL,
    webOrigins: [WEB_URL],
    // Warnings and errors only: per-request info lines are noise here.
    logger: createLogger({ service: "bench" }, "warn"),
    // The UI sign-in goes through the credential limiter; never let it be what fails.
    credentialLimit: { window: 10, max: 1000 },
  });
  const running = await backend.serve({ port: API_PORT, hostname: "127.0.0.1" });
  cleanups.push(() => running.stop());
  return { handle, auth: backend.auth };
}

type Board = { id: string; slug: string; tasks: number };
type Fixture = { email: string; cookie: string; small: Board; big: Board };

async function seedTasks(backend: Backend, orgId: string, count: number): Promise<void> {
  const { db } = backend.handle;
  let next = 0;
  // A few creates in flight: they serialise on the org's task counter, so more buys nothing.
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      await createTestTask(db, orgId, {
        title: `Seeded task ${i}`,
        status: STATUSES[i % STATUSES.length],
        priority: PRIORITIES[Math.floor(i / STATUSES.length) % PRIORITIES.length],
      });
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
}

async function seed(backend: Backend): Promise<Fixture> {
  const started = performance.now();
  const email = `bench-board-${Date.now()}@example.test`;
  const { cookie, userId } = await signUpBenchUser(backend.auth, email, PASSWORD);
  const { db } = backend.handle;
  const ownerId = userId;
  const small = await createTestOrg(db, { ownerId, name: "Bench small board", prefix: "SML" });
  const big = await createTestOrg(db, { ownerId, name: "Bench big board", prefix: "BIG" });
  await seedTasks(backend, small.id, SMALL_TASKS);
  await seedTasks(backend, big.id, BIG_TASKS);
  console.log(`seeded ${SMALL_TASKS} + ${BIG_TASKS.toLocaleString("en-US")} tasks in ${seconds(started)}`);
  return {
    email,
    cookie,
    small: { id: small.id, slug: small.slug, tasks: SMALL_TASKS },
    big: { id: big.id, slug: big.slug, tasks: BIG_TASKS },
  };
}

/** Every snapshot page the web app downloads for a board, as it asks for them. */
async function snapshotBytes(cookie: string, board: Board): Promise<{ bytes: number; pages: number }> {
  let bytes = 0;
  let pages = 0;
  let tasks = 0;
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: String(PAGE_LIMIT), ...(cursor ? { cursor } : {}) });
    const response = await fetch(`${API_URL}/api/orgs/${board.id}/tasks?${query}`, { headers: { cookie } });
    const body = new Uint8Array(await response.arrayBuffer());
    if (!response.ok) throw new Error(`snapshot: ${response.status} ${new TextDecoder().decode(body)}`);
    const page = JSON.parse(new TextDecoder().decode(body)) as { tasks: unknown[]; nextCursor?: string | null };
    bytes += body.byteLength;
    pages += 1;
    tasks += page.tasks.length;
    cursor = page.nextCursor ?? null;
  } while (cursor);
  if (tasks !== board.tasks) throw new Error(`snapshot has ${tasks} tasks, expected ${board.tasks}`);
  return { bytes, pages };
}

// ---------------------------------------------------------------------------------------------
// Browser

async function loadPlaywright(): Promise<Playwright> {
  // From apps/start, where it is installed; checked against the types above only by use.
  return (await import(Bun.resolveSync("@playwright/test", START_DIR))) as Playwright;
}

/** A signed-in context: every measured page opens in it, so the session cookie is already there. */
async function signIn(playwright: Playwright, email: string): Promise<BrowserContext> {
  const browser = await playwright.chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  cleanups.push(() => browser.close());
  // The e2e tests' viewport: how many cards are visible (and rendered) depends on it.
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();
  await page.goto(`${WEB_URL}/login`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
  await page.close();
  return context;
}

type Sample = {
  columnMs: number;
  cardMs: number;
  interactiveMs: number;
  clickToDialogMs: number;
  heapRawBytes: number;
  heapBytes: number;
  nodes: number;
  cardsInDom: number;
};

async function metrics(page: Page, context: BrowserContext): Promise<Map<string, number>> {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  const { metrics: list } = await cdp.send("Performance.getMetrics");
  await cdp.detach();
  return new Map(list.map((metric) => [metric.name, metric.value]));
}

function metric(values: Map<string, number>, name: string): number {
  const value = values.get(name);
  if (value === undefined) throw new Error(`CDP metric ${name} missing`);
  return value;
}

/** One cold navigation to the board in a fresh page of the signed-in context. */
async function measure(context: BrowserContext, board: Board): Promise<Sample> {
  const page = await context.newPage();
  try {
    const card = page.getByTestId("task-card").first();
    const t0 = Date.now();
    // "commit": the waits below, not the load event, decide when the board is there.
    await page.goto(`${WEB_URL}/o/${board.slug}`, { waitUntil: "commit" });
    await page.getByTestId("column-todo").waitFor({ state: "visible" });
    const columnMs = Date.now() - t0;
    await card.waitFor({ state: "visible" });
    const cardMs = Date.now() - t0;
    // A trial click runs every actionability check of a real click without clicking.
    await card.click({ trial: true });
    const interactiveMs = Date.now() - t0;

    // Taken before the click so the figures are the board's, not the dialog's.
    const raw = await metrics(page, context);
    const cdp = await context.newCDPSession(page);
    await cdp.send("HeapProfiler.collectGarbage");
    await cdp.detach();
    const collected = await metrics(page, context);
    const cardsInDom = await page.locator('[data-testid="task-card"]').count();

    const c0 = Date.now();
    await card.click();
    await page.getByTestId("task-dialog").waitFor({ state: "visible" });
    const clickToDialogMs = Date.now() - c0;
    return {
      columnMs,
      cardMs,
      interactiveMs,
      clickToDialogMs,
      heapRawBytes: metric(raw, "JSHeapUsedSize"),
      heapBytes: metric(collected, "JSHeapUsedSize"),
      nodes: metric(collected, "Nodes"),
      cardsInDom,
    };
  } finally {
    await page.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Output

const int = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const ms = (value: number) => `${int.format(value)} ms`;
const mb = (value: number) => `${(value / 1_048_576).toFixed(1)} MB`;

function report(label: string, s: Sample): Sample {
  console.log(
    `  ${label.padEnd(12)} column ${ms(s.columnMs).padStart(8)}  card ${ms(s.cardMs).padStart(8)}` +
      `  interactive ${ms(s.interactiveMs).padStart(8)}  click→dialog ${ms(s.clickToDialogMs).padStart(6)}` +
      `  heap ${mb(s.heapRawBytes)} (${mb(s.heapBytes)} after GC)  nodes ${int.format(s.nodes)}  cards ${s.cardsInDom}`,
  );
  return s;
}

type Row = { name: string; pick: (s: Sample) => number; format: (value: number) => string };

const ROWS: Row[] = [
  { name: 'column "To do" visible', pick: (s) => s.columnMs, format: ms },
  { name: "first card visible", pick: (s) => s.cardMs, format: ms },
  { name: "interactive (card clickable)", pick: (s) => s.interactiveMs, format: ms },
  { name: "click → task dialog visible", pick: (s) => s.clickToDialogMs, format: ms },
  { name: "JS heap used after load", pick: (s) => s.heapRawBytes, format: mb },
  { name: "JS heap used after forced GC", pick: (s) => s.heapBytes, format: mb },
  { name: "DOM nodes (after GC)", pick: (s) => s.nodes, format: int.format },
  { name: "task-card elements in DOM", pick: (s) => s.cardsInDom, format: int.format },
];

function summary(small: Sample[], big: Sample[]): string[] {
  const head = [
    "".padEnd(30),
    `${SMALL_TASKS} tasks`.padStart(12),
    `${int.format(BIG_TASKS)} tasks`.padStart(12),
    "ratio".padStart(7),
  ];
  const lines = [head.join(" ")];
  for (const row of ROWS) {
    const a = median(small.map(row.pick));
    const b = median(big.map(row.pick));
    const ratio = a > 0 ? `${(b / a).toFixed(2)}x` : "-";
    lines.push(
      [row.name.padEnd(30), row.format(a).padStart(12), row.format(b).padStart(12), ratio.padStart(7)].join(" "),
    );
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  // Started first and awaited later: the ~20 s build overlaps seeding, which is not measured.
  const build = buildWebApp();
  // A rejected build is awaited below; until then this keeps it from counting as unhandled.
  build.catch(() => {});
  const databaseUrl = await prepareDatabase();
  console.log(`database: ${new URL(databaseUrl).pathname.slice(1)}`);
  await runMigrations(databaseUrl);
  const backend = await startBackend(databaseUrl);
  const fixture = await seed(backend);
  const snapshot = await snapshotBytes(fixture.cookie, fixture.big);
  console.log(
    `board snapshot: ${int.format(BIG_TASKS)} tasks in ${snapshot.pages} pages of ${int.format(PAGE_LIMIT)}, ` +
      `${int.format(snapshot.bytes)} bytes (${int.format(snapshot.bytes / BIG_TASKS)} bytes/task)`,
  );
  await build;
  await startWebServer(WEB_PORT, API_URL);

  const context = await signIn(await loadPlaywright(), fixture.email);
  // Unmeasured: the first visit of each board loads the route's chunks and warms the server.
  await measure(context, fixture.small);
  await measure(context, fixture.big);
  // Browser timings move with whatever else the machine runs; say how busy it was.
  const [load1 = 0] = loadavg();
  console.log(
    `chromium, ${RUNS} alternating runs, fresh page per navigation in a signed-in context ` +
      `(host: ${cpus().length} cores, load average ${load1.toFixed(1)}):`,
  );
  const small: Sample[] = [];
  const big: Sample[] = [];
  for (let run = 1; run <= RUNS; run += 1) {
    small.push(report(`run ${run} ${SMALL_TASKS}`, await measure(context, fixture.small)));
    big.push(report(`run ${run} ${int.format(BIG_TASKS)}`, await measure(context, fixture.big)));
  }

  console.log(`\nboard load, medians of ${RUNS} runs (${seconds(started)} total):`);
  for (const line of summary(small, big)) console.log(line);
  console.log(
    `board snapshot for ${int.format(BIG_TASKS)} tasks: ${int.format(snapshot.bytes)} bytes in ${snapshot.pages} pages`,
  );
}

process.on("SIGINT", () => {
  void runCleanups().finally(() => process.exit(130));
});

try {
  await main();
} finally {
  await runCleanups();
}
