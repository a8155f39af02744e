/**
 * Export and import benchmark against real Postgres: `bun run bench:transfer`.
 *
 * - Export: the JSON export of an org of 50,000 tasks (and 50,000 comments) from the real
 *   backend, run as its own process so its memory is its own: time, MB/s and the backend's peak
 *   RSS growth while streaming; baseline in the same run: the same rows read in one query and
 *   serialised whole (what an export that is not streamed does), its RSS growth in this process.
 * - Import: 10,000 CSV rows through the import runner (`runImport`, the worker's job, in this
 *   process): tasks/s; baseline in the same run: the same number of bare task rows inserted 200
 *   to a statement (no events, activity, labels or progress).
 *
 * DATABASE_URL: use that database. Unset: a fresh `tandem_bench_<timestamp>`, dropped at the end.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { connect, runMigrations } from "@tandem/database";
import { ignoreCommits, partialServices, runImport } from "@tandem/domain";
import { newId } from "@tandem/util";
import { spawnService } from "@tandem/util/spawn";
import Papa from "papaparse";
import { cleanups, prepareDatabase, runBench } from "./lifecycle.ts";

const EXPORT_TASKS = Number(process.env.EXPORT_TASKS ?? 50_000);
const IMPORT_ROWS = 10_000;
const ORIGIN = "http://localhost:3000";
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

async function main() {
  const databaseUrl = await prepareDatabase();
  await runMigrations(databaseUrl);
  const handle = connect(databaseUrl, { applicationName: "tandem-bench-transfer" });
  cleanups.push(() => handle.close());
  const backend = await spawnService({
    command: ["bun", join(import.meta.dir, "../apps/backend/src/index.ts")],
    cwd: join(import.meta.dir, ".."),
    env: {
      DATABASE_URL: databaseUrl,
      PORT: "0",
      WEB_ORIGINS: ORIGIN,
      NODE_ENV: "development",
      LOG_LEVEL: "info",
      SEED_DEMO: "false",
      DATA_DIR: join(import.meta.dir, ".results", "transfer-data"),
    },
    ready: /"url":"(http:\/\/[^"]+)".*?"msg":"backend listening"/,
  });
  if (!backend.url) throw new Error(backend.output);
  cleanups.push(async () => {
    backend.proc.kill("SIGTERM");
    await backend.proc.exited;
  });
  const api = backend.url;

  const email = `bench-${Date.now()}@example.test`;
  const auth = { "content-type": "application/json", origin: ORIGIN };
  await fetch(`${api}/api/auth/sign-up/email`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify({ email, password: "correct-horse-battery", name: "Bench" }),
  });
  const signIn = await fetch(`${api}/api/auth/sign-in/email`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify({ email, password: "correct-horse-battery" }),
  });
  const cookie = (signIn.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
  const headers = { ...auth, cookie };
  const newOrg = async (prefix: string) => {
    const slug = `bench-${prefix.toLowerCase()}-${Date.now()}`;
    const response = await fetch(`${api}/api/orgs`, {
      method: "POST",
      headers,
      body: JSON.stringify({ name: slug, slug, prefix }),
    });
    return ((await response.json()) as { id: string }).id;
  };

  // ---- Export
  const orgId = await newOrg("EXP");
  await handle.sql`
    insert into task (id, org_id, number, title, description, rank)
    select 'task_bench_' || n, ${orgId}, n, 'Exported task ' || n, repeat('Some description. ', 10), lpad(n::text, 8, '0')
      from generate_series(1, ${EXPORT_TASKS}) as n`;
  await handle.sql`
    insert into task_comment (id, org_id, task_id, body)
    select 'cmt_bench_' || n, ${orgId}, 'task_bench_' || n, 'A comment on task ' || n
      from generate_series(1, ${EXPORT_TASKS}) as n`;
  await handle.sql`update org_counter set last_task_number = ${EXPORT_TASKS} where org_id = ${orgId}`;
  // What autovacuum does after a bulk load: without statistics the planner picks poor page plans.
  await handle.sql`analyze task, task_comment`;

  const idle = rssOf(backend.proc.pid);
  let peak = idle;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssOf(backend.proc.pid));
  }, 20);
  const started = performance.now();
  const response = await fetch(`${api}/api/orgs/${orgId}/export?format=json`, { headers: { cookie } });
  let bytes = 0;
  for await (const chunk of response.body ?? new ReadableStream()) bytes += chunk.byteLength;
  const exportMs = performance.now() - started;
  clearInterval(sampler);

  Bun.gc(true);
  const before = process.memoryUsage.rss();
  let wholePeak = before;
  const wholeStarted = performance.now();
  const tasks = await handle.sql`select * from task where org_id = ${orgId} order by number`;
  const comments = await handle.sql`select * from task_comment where org_id = ${orgId} order by id`;
  wholePeak = Math.max(wholePeak, process.memoryUsage.rss());
  const whole = JSON.stringify({ tasks, comments });
  wholePeak = Math.max(wholePeak, process.memoryUsage.rss());
  const wholeMs = performance.now() - wholeStarted;

  console.log(`\nExport of ${EXPORT_TASKS.toLocaleString()} tasks + ${EXPORT_TASKS.toLocaleString()} comments`);
  console.log(
    `  streamed (backend, HTTP):  ${mb(bytes)} MB in ${(exportMs / 1000).toFixed(2)} s = ${mb((bytes / exportMs) * 1000)} MB/s; backend RSS ${mb(idle)} → peak ${mb(peak)} MB (+${mb(peak - idle)} MB)`,
  );
  console.log(
    `  baseline (whole in memory): ${mb(whole.length)} MB in ${(wholeMs / 1000).toFixed(2)} s; this process's RSS +${mb(wholePeak - before)} MB`,
  );

  // ---- Import
  const importOrg = await newOrg("IMP");
  const rows = Array.from({ length: IMPORT_ROWS }, (_, i) => [`Imported ${i + 1}`, i % 2 ? "Done" : "Todo", "bench"]);
  const form = new FormData();
  form.set("file", new File([Papa.unparse([["Title", "Status", "Labels"], ...rows])], "bench.csv"));
  form.set("format", "csv");
  form.set("mapping", JSON.stringify({ title: "Title", status: "Status", labels: "Labels" }));
  const queued = await fetch(`${api}/api/orgs/${importOrg}/imports`, {
    method: "POST",
    headers: { cookie, origin: ORIGIN },
    body: form,
  });
  const { id: importId } = (await queued.json()) as { id: string };
  // The backend queued a job for the worker; none runs here, so this process runs the import.
  const importStarted = performance.now();
  await runImport({
    ctx: { db: handle.db, notify: ignoreCommits, services: partialServices() },
    input: { orgId: importOrg, importId },
  });
  const importMs = performance.now() - importStarted;
  const [{ n } = { n: 0 }] = await handle.sql<
    { n: number }[]
  >`select count(*)::int as n from task where org_id = ${importOrg}`;

  const bareOrg = await newOrg("BAR");
  const bareStarted = performance.now();
  for (let at = 0; at < IMPORT_ROWS; at += 200) {
    const batch = rows.slice(at, at + 200).map(([title], i) => ({
      id: newId("task"),
      org_id: bareOrg,
      number: at + i + 1,
      title: title ?? "",
      rank: String(at + i).padStart(8, "0"),
    }));
    await handle.sql`insert into task ${handle.sql(batch)}`;
  }
  const bareMs = performance.now() - bareStarted;

  console.log(`\nImport of ${IMPORT_ROWS.toLocaleString()} CSV rows`);
  console.log(
    `  runImport (events, activity, labels, progress): ${n} tasks in ${(importMs / 1000).toFixed(2)} s = ${Math.round((n / importMs) * 1000)} tasks/s`,
  );
  console.log(
    `  baseline (bare inserts, 200 a statement):       ${IMPORT_ROWS} rows in ${(bareMs / 1000).toFixed(2)} s = ${Math.round((IMPORT_ROWS / bareMs) * 1000)} rows/s`,
  );
  console.log(`  ratio: ${(importMs / bareMs).toFixed(1)}× the bare insert time`);
}

await runBench(main);
