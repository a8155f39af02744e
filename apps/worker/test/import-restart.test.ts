import { afterAll, beforeAll, expect, test } from "bun:test";
import Papa from "papaparse";
import { type GithubBackend, startGithubBackend } from "./github-backend.ts";
import { WEBHOOK_SECRET, workerProcesses } from "./harness.ts";
import { type Admin, transferAdmin } from "./transfer-client.ts";

const workers = workerProcesses();
let api: GithubBackend;
let admin: Admin;

beforeAll(async () => {
  api = await startGithubBackend({ name: "import-restart" });
  admin = await transferAdmin(api, "Importer");
});
afterAll(async () => {
  workers.killAll();
  await api?.stop();
});

/** A worker as its own process, with fast loss detection (a killed job is retried within seconds). */
const startWorkerProcess = () =>
  workers.start({
    GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
    JOB_EXPIRE_SECONDS: "4",
    QUEUE_SUPERVISE_SECONDS: "1",
    JOB_RETRY_DELAY_SECONDS: "1",
    JOB_RETRY_BACKOFF: "false",
  });

test("10,000 tasks: a worker SIGKILLed mid-import is restarted and the import completes with every task exactly once", async () => {
  const org = await admin.newOrg("Bulk", "BLK");
  const rows = Array.from({ length: 10_000 }, (_, i) => [`Task ${i + 1}`, i % 3 === 0 ? "Done" : "Todo", "bulk"]);
  const file = Papa.unparse([["Title", "Status", "Labels"], ...rows]);
  const mapping = { title: "Title", status: "Status", labels: "Labels" };

  const first = await startWorkerProcess();
  const started = await admin.upload(org.path, { file, filename: "bulk.csv", format: "csv", mapping });
  expect(started.status).toBe(202);
  // Kill it once some batches have committed and others have not.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = await admin.json("GET", `${org.path}/imports/${started.body.id}`);
    if (job.done > 0) {
      expect(job.done).toBeLessThan(10_000);
      break;
    }
    if (Date.now() > deadline) throw new Error(`the import never started: ${JSON.stringify(job)}`);
    await Bun.sleep(20);
  }
  first.proc.kill("SIGKILL");
  await first.proc.exited;

  await startWorkerProcess();
  const done = await admin.finished(org.path, started.body.id, 120_000);
  expect(done).toMatchObject({ status: "completed", total: 10_000, done: 10_000 });

  const page = async (cursor: string | null) =>
    admin.json("GET", `${org.path}/tasks?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
  const titles: string[] = [];
  const numbers: number[] = [];
  for (let cursor: string | null = null, first = true; first || cursor; first = false) {
    const result = await page(cursor);
    for (const task of result.tasks) {
      titles.push(task.title);
      numbers.push(task.number);
    }
    cursor = result.nextCursor;
  }
  expect(titles).toHaveLength(10_000);
  expect(new Set(titles).size).toBe(10_000);
  expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1));
  expect((await admin.json("GET", `${org.path}/labels`)).map((label: { name: string }) => label.name)).toEqual([
    "bulk",
  ]);
}, 180_000);
