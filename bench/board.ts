/**
 * Board load benchmark in Chromium: `bun run bench:board`.
 *
 * Seeds one org with 5,000 tasks over 3 projects (its board, the first project, shows 1,667 of
 * them) and a baseline org with 50 in one project, serves the real backend and the
 * built web app, and measures in headless Chromium. Every navigation is cold: a task of the
 * board is PATCHed through the API just before (so the backend's snapshot cache is invalidated,
 * as on a board someone is working on), then a new browser context (empty HTTP cache, only the
 * session cookie) opens `/o/<slug>`, and the benchmark measures:
 *   - time to the "To do" column and to the first card being visible, and to the card being
 *     clickable (Playwright's actionability checks: visible, stable, receives events);
 *   - click on that card to the task dialog being visible;
 *   - the JS heap (raw, and after a forced GC), DOM node count and task cards in the DOM;
 *   - bytes on the wire until interactive (compressed if the server compressed), and of them
 *     the snapshot pages'.
 * Ports: BENCH_API_PORT and BENCH_WEB_PORT, else free ones picked at start.
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
import { loadPlaywright, measure, type Sample, signIn } from "./board-browser.ts";
import {
  API_PORT,
  API_URL,
  BIG_PROJECTS,
  BIG_TASKS,
  type Board,
  PAGE_LIMIT,
  PASSWORD,
  PRIORITIES,
  RUNS,
  SEED_CONCURRENCY,
  SMALL_TASKS,
  STATUSES,
  WEB_PORT,
  WEB_URL,
} from "./board-config.ts";
import { printGoals } from "./goals.ts";
import { cleanups, prepareDatabase, runBench, signUpBenchUser } from "./lifecycle.ts";
import { median } from "./stats.ts";
import { buildWebApp, seconds, startWebServer } from "./web-app.ts";

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

type Fixture = { email: string; cookie: string; small: Board; big: Board };

async function seedTasks(backend: Backend, orgId: string, count: number, projects: string[]): Promise<void> {
  const { db } = backend.handle;
  let next = 0;
  // A few creates in flight: they serialise on each project's task counter, so more buys nothing.
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      await createTestTask(db, orgId, {
        projectId: projects[i % projects.length],
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
  // The big org's other projects, through the API as the UI makes them.
  const projects = ["BIG"];
  for (let n = 2; n <= BIG_PROJECTS; n += 1) {
    const key = `BIG${n}`;
    const response = await fetch(`${API_URL}/api/orgs/${big.id}/projects`, {
      method: "POST",
      headers: { cookie, origin: WEB_URL, "content-type": "application/json" },
      body: JSON.stringify({ name: `Bench project ${n}`, key }),
    });
    if (!response.ok) throw new Error(`project ${key}: ${response.status} ${await response.text()}`);
    projects.push(key);
  }
  await seedTasks(backend, small.id, SMALL_TASKS, ["SML"]);
  await seedTasks(backend, big.id, BIG_TASKS, projects);
  console.log(
    `seeded ${SMALL_TASKS} + ${BIG_TASKS.toLocaleString("en-US")} tasks (over ${BIG_PROJECTS} projects) in ${seconds(started)}`,
  );
  const onBoard = Math.ceil(BIG_TASKS / BIG_PROJECTS);
  return {
    email,
    cookie,
    small: { id: small.id, slug: small.slug, project: "SML", tasks: SMALL_TASKS, orgTasks: SMALL_TASKS },
    big: { id: big.id, slug: big.slug, project: "BIG", tasks: onBoard, orgTasks: BIG_TASKS },
  };
}

/** Every snapshot page the web app downloads for a board, as it asks for them. */
async function snapshotBytes(cookie: string, board: Board): Promise<{ bytes: number; pages: number }> {
  let bytes = 0;
  let pages = 0;
  let tasks = 0;
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({
      limit: String(PAGE_LIMIT),
      project: board.project,
      ...(cursor ? { cursor } : {}),
    });
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

/** A PATCH of the board's first task through the API: the edit that makes the next load cold. */
async function edit(cookie: string, board: Board, run: number): Promise<void> {
  const headers = { cookie, origin: WEB_URL, "content-type": "application/json" };
  const list = await fetch(`${API_URL}/api/orgs/${board.id}/tasks?limit=1&project=${board.project}`, { headers });
  const page = (await list.json()) as { tasks: { id: string; version: number }[] };
  const task = page.tasks[0];
  if (!list.ok || !task) throw new Error(`edit: listing ${board.slug} answered ${list.status}`);
  const response = await fetch(`${API_URL}/api/orgs/${board.id}/tasks/${task.id}`, {
    method: "PATCH",
    headers,
    body: JSON.stringify({ title: `Edited before run ${run}`, version: task.version }),
  });
  if (!response.ok) throw new Error(`edit: PATCH answered ${response.status} ${await response.text()}`);
}

// ---------------------------------------------------------------------------------------------
// Output

const int = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const ms = (value: number) => `${int.format(value)} ms`;
const mb = (value: number) => `${(value / 1_048_576).toFixed(1)} MB`;
const kb = (value: number) => `${int.format(value / 1024)} KiB`;

function report(label: string, s: Sample): Sample {
  console.log(
    `  ${label.padEnd(12)} column ${ms(s.columnMs).padStart(8)}  card ${ms(s.cardMs).padStart(8)}` +
      `  interactive ${ms(s.interactiveMs).padStart(8)}  click→dialog ${ms(s.clickToDialogMs).padStart(6)}` +
      `  heap ${mb(s.heapRawBytes)} (${mb(s.heapBytes)} after GC)  nodes ${int.format(s.nodes)}  cards ${s.cardsInDom}` +
      `  wire ${kb(s.transferBytes)} in ${s.requests} requests (snapshot ${kb(s.snapshotTransferBytes)})`,
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
  { name: "bytes on the wire by interactive", pick: (s) => s.transferBytes, format: kb },
  { name: "  of which snapshot pages", pick: (s) => s.snapshotTransferBytes, format: kb },
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
    `board snapshot: ${int.format(fixture.big.tasks)} tasks of the org's ${int.format(BIG_TASKS)} (one project) in ` +
      `${snapshot.pages} pages of ${int.format(PAGE_LIMIT)}, ` +
      `${int.format(snapshot.bytes)} bytes (${int.format(snapshot.bytes / fixture.big.tasks)} bytes/task)`,
  );
  await build;
  await startWebServer(WEB_PORT, API_URL);

  const { browser, session } = await signIn(await loadPlaywright(), fixture.email);
  // Unmeasured: the first visit of each board warms the web server and the backend's code paths.
  await measure(browser, session, fixture.small);
  await measure(browser, session, fixture.big);
  // Browser timings move with whatever else the machine runs; say how busy it was.
  const [load1 = 0] = loadavg();
  console.log(
    `chromium, ${RUNS} alternating runs, each a new context (cold cache) on a board PATCHed just before ` +
      `(host: ${cpus().length} cores, load average ${load1.toFixed(1)}; API :${API_PORT}, web :${WEB_PORT}):`,
  );
  const small: Sample[] = [];
  const big: Sample[] = [];
  for (let run = 1; run <= RUNS; run += 1) {
    await edit(fixture.cookie, fixture.small, run);
    small.push(report(`run ${run} ${SMALL_TASKS}`, await measure(browser, session, fixture.small)));
    await edit(fixture.cookie, fixture.big, run);
    big.push(report(`run ${run} ${int.format(BIG_TASKS)}`, await measure(browser, session, fixture.big)));
  }

  console.log(`\nboard load, medians of ${RUNS} runs (${seconds(started)} total):`);
  for (const line of summary(small, big)) console.log(line);
  console.log(
    `board snapshot for the ${int.format(fixture.big.tasks)} tasks of the first of ${BIG_PROJECTS} projects ` +
      `(${int.format(BIG_TASKS)} in the org): ${int.format(snapshot.bytes)} bytes in ${snapshot.pages} pages`,
  );
  const interactive = median(big.map((s) => s.interactiveMs));
  const baseline = median(small.map((s) => s.interactiveMs));
  printGoals("goals (issue 16), medians; machine shared with other work:", [
    {
      name: `${int.format(BIG_TASKS)}-task board, cold context after an edit: interactive`,
      figure: ms(interactive),
      limit: `${ms(baseline)} (${SMALL_TASKS}-task board)`,
      ratio: interactive / baseline,
      goal: "< 800 ms",
      pass: interactive < 800,
    },
    {
      name: "  bytes on the wire by interactive",
      figure: kb(median(big.map((s) => s.transferBytes))),
      limit: kb(median(small.map((s) => s.transferBytes))),
      ratio: median(big.map((s) => s.transferBytes)) / median(small.map((s) => s.transferBytes)),
      goal: "-",
      pass: null,
    },
  ]);
}

await runBench(main);
