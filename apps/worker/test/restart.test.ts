import { afterAll, beforeAll, expect, test } from "bun:test";
import { connect, type DbHandle, isEmbeddedUrl, schema } from "@tandem/database";
import { eq } from "drizzle-orm";
import { deliver, example, linkedOrg, settled, WEBHOOK_SECRET, workerProcesses } from "./harness.ts";

const workers = workerProcesses();
let handle: DbHandle;

beforeAll(() => {
  handle = connect(process.env.DATABASE_URL ?? "", { applicationName: "restart-test" });
});
afterAll(async () => {
  workers.killAll();
  await handle.close();
});

/** A worker as its own process, with fast loss detection. */
const startWorkerProcess = () =>
  workers.start({
    GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
    JOB_EXPIRE_SECONDS: "2",
    QUEUE_SUPERVISE_SECONDS: "1",
    JOB_RETRY_DELAY_SECONDS: "1",
    JOB_RETRY_BACKOFF: "false",
  });

test("a worker killed mid-job: the job is retried after restart and applied once", async () => {
  const { org, repoName } = await linkedOrg(handle, "KIL");
  const first = await startWorkerProcess();

  const payload = example("issues", "opened");
  payload.repository.full_name = repoName;
  Object.assign(payload.issue, { number: 9001, title: "Survives a crash" });

  // On Postgres, hold the org's counter row so the job stops inside its transaction, mid-way.
  // The embedded database runs one transaction at a time, so there the worker is killed as soon
  // as the delivery is acknowledged, with its job queued or running.
  const embedded = isEmbeddedUrl(process.env.DATABASE_URL ?? "");
  const blocker = embedded ? null : await handle.sql.reserve();
  if (blocker) {
    await blocker`begin`;
    await blocker`select * from org_counter where org_id = ${org.id} for update`;
  }
  const sent = await deliver({ url: first.url } as never, "issues", payload);
  expect(sent.status).toBe(202);
  if (blocker) {
    // Wait until the job is waiting on our lock: it is running, mid-transaction.
    const deadline = Date.now() + 15_000;
    while (
      (await handle.sql`select 1 from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`)
        .length === 0
    ) {
      if (Date.now() > deadline) throw new Error("the job never reached the lock");
      await Bun.sleep(50);
    }
  }
  first.proc.kill("SIGKILL");
  await first.proc.exited;
  if (blocker) {
    await blocker`rollback`;
    blocker.release();
  }

  const second = await startWorkerProcess();
  expect(await settled(handle, sent.deliveryId, 30_000)).toBe("processed");
  const tasks = await handle.db.select().from(schema.task).where(eq(schema.task.orgId, org.id));
  expect(tasks.map((t) => t.title)).toEqual(["Survives a crash"]);
  const [job] = await handle.sql<{ retry_count: number }[]>`
    select retry_count from pgboss.job where data->>'deliveryId' = ${sent.deliveryId} and name = 'github-event'`;
  // A job that was running when its worker died is retried; one still queued simply runs.
  if (!embedded) expect(job?.retry_count).toBeGreaterThanOrEqual(1);
  second.proc.kill("SIGTERM");
  await second.proc.exited;
}, 90_000);
