import { afterAll, beforeAll, expect, test } from "bun:test";
import { schema } from "@tandem/database";
import { and, asc, eq } from "drizzle-orm";
import { type GithubBackend, startGithubBackend } from "./github-backend.ts";
import { startTestWorker, until, type WorkerHarness } from "./harness.ts";
import { type Admin, transferAdmin } from "./transfer-client.ts";

let api: GithubBackend;
let h: WorkerHarness;
let admin: Admin;

beforeAll(async () => {
  // Two attempts, a short lock timeout: a row someone else holds fails every attempt at once.
  [api, h] = await Promise.all([
    startGithubBackend({ name: "import-dead" }),
    startTestWorker({ DB_LOCK_TIMEOUT_MS: "150", JOB_ATTEMPTS: "2" }),
  ]);
  admin = await transferAdmin(api, "Importer");
});
afterAll(async () => {
  await Promise.all([h?.stop(), api?.stop()]);
});

test("an import whose job runs out of retries is marked failed with the reason, and says so on the admin channel", async () => {
  const org = await admin.newOrg("Dead", "DED");
  // Someone is creating the label the file names and has not committed: every attempt's
  // insert of it waits past the lock timeout and fails.
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked = () => {};
  const holding = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const holder = h.handle.sql
    .begin(async (tx) => {
      await tx`insert into label (id, org_id, name, color) values (${`lbl_${crypto.randomUUID()}`}, ${org.id}, 'Contested', '#6b7280')`;
      locked();
      await released;
      throw new Error("roll back");
    })
    .catch(() => {});
  await holding;

  const started = await admin.upload(org.path, {
    file: "Title,Labels\nFirst,Contested\nSecond,\n",
    filename: "t.csv",
    format: "csv",
    mapping: { title: "Title", labels: "Labels" },
  });
  expect(started.status).toBe(202);
  const job = await admin.finished(org.path, started.body.id, 30_000);
  release();
  await holder;

  expect(job.status).toBe("failed");
  expect(job.error).toStartWith("Stopped after 2 failed attempt(s): ");
  expect(job.error).toContain("lock timeout");
  expect(job.finishedAt).not.toBeNull();
  expect((await admin.json("GET", `${org.path}/tasks`)).tasks).toEqual([]);

  // The last UPDATE_IMPORT in the log is the failure, so a watching admin sees it end.
  const updates = await until(async () => {
    const rows = await h.handle.db
      .select({ payload: schema.event.payload })
      .from(schema.event)
      .where(and(eq(schema.event.orgId, org.id), eq(schema.event.type, "UPDATE_IMPORT")))
      .orderBy(asc(schema.event.seq));
    return rows.length > 0 && rows;
  });
  const last = updates.at(-1)?.payload as { import: { id: string; status: string; error: string } };
  expect(last.import).toMatchObject({ id: started.body.id, status: "failed", error: job.error });
});
