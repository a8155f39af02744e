import { afterAll, beforeAll, expect, test } from "bun:test";
import { followNotifications } from "@tandem/domain";
import { sql } from "drizzle-orm";
import { expectStatus, startTestBackend, type TestBackend, type TestUser, WEB_ORIGIN } from "./harness.ts";
import { orgOf, until } from "./notify-world.ts";

/**
 * A project deleted while the notifier writes a batch about its tasks: the batch holds the
 * tasks it found live (FOR KEY SHARE) from that read on, so the delete waits for the batch to
 * commit. Without the hold, a delete landing between the read and the batch's inserts failed
 * the batch on a foreign key (logged, rolled back and redone).
 */
let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend(); // no notifier of its own: the test runs the batch
});
afterAll(() => backend.stop());

test("a project deleted mid-batch waits for the batch, which commits", async () => {
  const { org, people } = await orgOf(backend, ["Ann", "Ben"]);
  const [ann] = people as [TestUser];
  const call = (method: string, path: string, body?: unknown) =>
    ann.raw(method, path, body, { headers: { origin: WEB_ORIGIN } });
  const base = `/api/orgs/${org.id}`;
  expectStatus(await call("POST", `${base}/projects`, { name: "Gone", key: "GONE" }), 201);
  // No one to tell: the batch writes no notification (whose foreign key would hold the task too).
  expectStatus(await call("POST", `${base}/tasks`, { title: "Doomed", projectId: "GONE" }), 201);

  let deletion: ReturnType<typeof call> | undefined;
  const failures: unknown[] = [];
  await followNotifications({
    db: backend.db,
    collapseMs: 0,
    batchSize: 100,
    orgIds: [org.id],
    onInbox: () => {},
    beforeCommit: async () => {
      // The delete starts now and must wait on the batch's hold of the task.
      deletion = call("DELETE", `${base}/projects/GONE`);
      await until("the delete to wait on the batch's lock", async () => {
        const rows = await backend.db.execute<{ waiting: number }>(sql`
          select count(*)::int as waiting from pg_stat_activity
           where wait_event_type = 'Lock' and query ilike 'delete%'`);
        return (rows[0]?.waiting ?? 0) > 0 ? true : undefined;
      });
    },
  }).catch((error: unknown) => failures.push(error));

  expect(failures).toEqual([]);
  if (!deletion) throw new Error("the batch never reached its commit");
  expectStatus(await deletion, 200);
});
