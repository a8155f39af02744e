import { afterAll, beforeAll, expect, test } from "bun:test";
import type { TTask } from "@tandem/contracts";
import { NOTIFIER } from "@tandem/database";
import { eventCursor } from "@tandem/database/schema";
import { and, eq } from "drizzle-orm";
import { expectStatus, startTestBackend, type TestBackend, type TestUser, WEB_ORIGIN } from "./harness.ts";
import { orgOf, rowsOf, until } from "./notify-world.ts";

/**
 * A deleted project takes its tasks' rows with it while their events stay in the log: the
 * notifier passes over them (nothing left to notify, watch or remember) instead of failing on
 * them again and again, and the org's later events still reach people.
 */
let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend({ notifier: { enabled: true, pollMs: 50, collapseMs: 60_000 } });
});
afterAll(() => backend.stop());

test("events of a deleted project's tasks do not stop the notifier", async () => {
  const { org, people } = await orgOf(backend, ["Ann", "Ben"]);
  const [ann, ben] = people as [TestUser, TestUser];
  const call = (method: string, path: string, body?: unknown) =>
    ann.raw(method, path, body, { headers: { origin: WEB_ORIGIN } });
  const base = `/api/orgs/${org.id}`;
  expectStatus(await call("POST", `${base}/projects`, { name: "Gone", key: "GONE" }), 201);
  // Made and deleted while the notifier is held off the org (its cursor row locked here): in
  // the log, no longer in the database, when it reads them.
  let later: TTask | undefined;
  await backend.db.transaction(async (tx) => {
    // Waits for the notifier's batch in progress, if any (a plain FOR UPDATE, not its SKIP LOCKED).
    await tx.insert(eventCursor).values({ consumer: NOTIFIER, orgId: org.id, lastSeq: 0 }).onConflictDoNothing();
    await tx
      .select()
      .from(eventCursor)
      .where(and(eq(eventCursor.consumer, NOTIFIER), eq(eventCursor.orgId, org.id)))
      .for("update");
    expectStatus(
      await call("POST", `${base}/tasks`, { title: "Doomed", projectId: "GONE", assigneeIds: [ben.id] }),
      201,
    );
    expectStatus(await call("DELETE", `${base}/projects/GONE`), 200);
    later = expectStatus(await call("POST", `${base}/tasks`, { title: "Later", assigneeIds: [ben.id] }), 201) as TTask;
  });

  // The later task's notification comes after the doomed task's events in the log: the notifier
  // got past them. (A generous deadline: a poll, not a sleep, on a busy machine.)
  const rows = await until(
    "Ben's notification of the later task",
    async () => {
      const found = await rowsOf(backend, ben.id, org.id);
      return found.length > 0 ? found : undefined;
    },
    30_000,
  );
  expect(rows.map((row) => row.taskId)).toEqual([later?.id ?? ""]);
});
