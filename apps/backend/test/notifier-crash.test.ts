import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { ok, startTestBackend, type TestBackend } from "./harness.ts";
import { notifierCaughtUp, orgOf, rowsOf } from "./notify-world.ts";

/**
 * SPEC §14: the notifier is SIGKILLed in the middle of a batch (its notifications written,
 * its cursor not yet moved) and started again: every notification exists exactly once.
 */
let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend(); // no notifier of its own: the spawned one is the only one
});
afterAll(() => backend.stop());

/** Starts the notifier process; resolves its handle and a wait for the nth "batch written" line. */
function spawnNotifier(orgId: string) {
  const child = Bun.spawn(["bun", join(import.meta.dir, "fixtures/notifier-run.ts"), orgId], {
    env: { ...process.env },
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = child.stdout.getReader();
  let buffered = "";
  const batches = async (count: number) => {
    const decoder = new TextDecoder();
    while ((buffered.match(/batch written/g) ?? []).length < count) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the notifier exited");
      buffered += decoder.decode(value);
    }
  };
  return { child, batches };
}

test("the notifier killed mid-batch and restarted writes every notification exactly once", async () => {
  const { org, people } = await orgOf(backend, ["Owner", "Watcher"]);
  const [owner, watcher] = people as [(typeof people)[0], (typeof people)[0]];
  const tasks = owner.api.api.orgs[":orgId"].tasks;
  const task = await ok(tasks.$post({ param: { orgId: org.id }, json: { title: "Chatty" } }), 201);
  await ok(
    watcher.api.api.orgs[":orgId"].tasks[":taskId"].subscription.$put({ param: { orgId: org.id, taskId: task.id } }),
  );
  const comments = 60;
  for (let i = 0; i < comments; i++) {
    await ok(
      tasks[":taskId"].comments.$post({ param: { orgId: org.id, taskId: task.id }, json: { body: `Comment ${i}` } }),
      201,
    );
  }

  const first = spawnNotifier(org.id);
  await first.batches(4); // three batches committed, the fourth written and not yet committed
  first.child.kill("SIGKILL");
  await first.child.exited;
  const partial = await rowsOf(backend, watcher.id, org.id);
  expect(partial.length).toBeGreaterThanOrEqual(10);
  expect(partial.length).toBeLessThan(comments);

  const second = spawnNotifier(org.id);
  try {
    await notifierCaughtUp(backend, org.id);
  } finally {
    second.child.kill("SIGKILL");
    await second.child.exited;
  }
  const rows = await rowsOf(backend, watcher.id, org.id);
  // One per comment (collapsing is off in this process), none twice, none for the actor.
  expect(rows).toHaveLength(comments);
  expect(new Set(rows.map((row) => row.eventSeq)).size).toBe(comments);
  expect(rows.every((row) => row.kind === "commented")).toBe(true);
  expect(await rowsOf(backend, owner.id, org.id)).toHaveLength(0);
});
