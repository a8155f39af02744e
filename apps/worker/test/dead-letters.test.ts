import { afterAll, beforeAll, expect, test } from "bun:test";
import { createUserWithSession } from "@tandem/backend/compose";
import { getTask, schema } from "@tandem/database";
import { addTestMember } from "@tandem/domain/testing";
import { and, eq } from "drizzle-orm";
import { type GithubBackend, startGithubBackend } from "./github-backend.ts";
import { deliver, example, linkedOrg, settled, startTestWorker, type WorkerHarness } from "./harness.ts";

let h: WorkerHarness;
let api: GithubBackend;

beforeAll(async () => {
  // A short lock timeout: a row held by someone else fails the sync's step at once.
  h = await startTestWorker({ DB_LOCK_TIMEOUT_MS: "150", JOB_ATTEMPTS: "3" });
  api = await startGithubBackend({ name: "dead-letter" });
});
afterAll(async () => {
  await h.stop();
  await api.stop();
});

async function session(orgId: string, permissions: string[]) {
  const email = `dlq-${crypto.randomUUID()}@example.test`;
  const { userId, cookie } = await createUserWithSession(api.auth, { email, password: "password-123", name: "Admin" });
  await addTestMember(h.handle.db, { orgId, userId, permissions });
  return cookie;
}

test("a delivery that keeps failing is dead with its last error and step; an admin's retry applies it", async () => {
  const { org, repoName } = await linkedOrg(h.handle, "DLQ");
  const opened = example("issues", "opened");
  opened.repository.full_name = repoName;
  Object.assign(opened.issue, { number: 31, title: "Before", updated_at: "2026-06-01T10:00:00Z" });
  expect(await settled(h.handle, (await deliver(h.worker, "issues", opened)).deliveryId)).toBe("processed");
  const [link] = await h.handle.db
    .select()
    .from(schema.githubIssue)
    .where(and(eq(schema.githubIssue.orgId, org.id), eq(schema.githubIssue.number, 31)));

  // Someone holds the issue link's row: every attempt of the edit fails on the lock.
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked = () => {};
  const holding = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const holder = h.handle.sql.begin(async (tx) => {
    await tx`select id from github_issue where id = ${link?.id ?? ""} for update`;
    locked();
    await released;
  });
  await holding;
  const edited = structuredClone(opened);
  edited.action = "edited";
  Object.assign(edited.issue, { title: "After", updated_at: "2026-06-01T11:00:00Z" });
  const result = await deliver(h.worker, "issues", edited);
  expect(await settled(h.handle, result.deliveryId, 30_000)).toBe("dead");
  release();
  await holder;

  const admin = await session(org.id, ["admin.manageSettings"]);
  const list = await fetch(`${api.url}/api/orgs/${org.id}/github/deliveries?status=dead`, {
    headers: { cookie: admin },
  });
  const dead = (await list.json()) as { id: string; error: string; errorStep: string }[];
  expect(dead).toHaveLength(1);
  expect(dead[0]).toMatchObject({ id: result.deliveryId, errorStep: "issue" });
  expect(dead[0]?.error).toContain("lock timeout");

  // Someone without admin.manageSettings cannot retry it.
  const member = await session(org.id, []);
  const retryPath = `${api.url}/api/orgs/${org.id}/github/deliveries/${result.deliveryId}/retry`;
  expect((await fetch(retryPath, { method: "POST", headers: { cookie: member } })).status).toBe(403);

  const retried = await fetch(retryPath, { method: "POST", headers: { cookie: admin } });
  expect(retried.status).toBe(200);
  expect(((await retried.json()) as { status: string }).status).toBe("queued");
  expect(await settled(h.handle, result.deliveryId)).toBe("processed");
  const task = await getTask(h.handle.db, { orgId: org.id, ref: { id: link?.taskId ?? "" } });
  expect(task?.title).toBe("After");

  // Only a dead delivery can be retried.
  const again = await fetch(retryPath, { method: "POST", headers: { cookie: admin } });
  expect(again.status).toBe(409);
  expect(((await again.json()) as { error: { code: string } }).error.code).toBe("CONFLICT");
}, 40_000);
