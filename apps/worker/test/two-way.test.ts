import { afterAll, beforeAll, expect, test } from "bun:test";
import { githubApi } from "@tandem/backend/github-api";
import { getEventCursor, getTask, lastEventSeq, schema } from "@tandem/database";
import { updateTask } from "@tandem/domain";
import { systemCtx } from "@tandem/domain/testing";
import { QUEUES } from "@tandem/queue";
import { and, eq } from "drizzle-orm";
import { standInIssue, startGithubStandIn } from "./github-stand-in.ts";
import { deliver, example, linkedOrg, settled, startTestWorker, until, type WorkerHarness } from "./harness.ts";

const KEY = Buffer.alloc(32, 9).toString("base64");
let github: ReturnType<typeof startGithubStandIn>;
let h: WorkerHarness;

beforeAll(async () => {
  github = startGithubStandIn();
  h = await startTestWorker({ GITHUB_API_URL: github.url, ENCRYPTION_KEY: KEY, OUTBOUND_POLL_MS: "100" });
});
afterAll(async () => {
  await h.stop();
  github.stop();
});

let nextRepoId = 8_100_000;
/** A repository the token can push to, linked with that token (checked on the stand-in). */
async function writableRepo() {
  const fullName = `octo/two-way-${crypto.randomUUID().slice(0, 8)}`;
  const repositoryId = nextRepoId++;
  github.addRepo(fullName, repositoryId);
  github.grant("ghp_stand_in_token", fullName, { push: true });
  const { org, userId, repo } = await linkedOrg(h.handle, "OUT", {
    repoName: fullName,
    token: "ghp_stand_in_token",
    encryptionKey: KEY,
    api: githubApi({ apiUrl: github.url }),
  });
  return { org, userId, fullName, repo, repositoryId };
}

/** Barrier: the outbound follower has read the org's log up to its last event. */
async function followed(orgId: string): Promise<void> {
  await until(async () => {
    const cursor = await getEventCursor(h.handle.db, { consumer: "github-outbound", orgId });
    return cursor !== null && cursor >= (await lastEventSeq(h.handle.db, { orgId }));
  });
}

/** Barrier: no outbound GitHub call is waiting or running. */
async function outboundIdle(): Promise<void> {
  await until(async () => {
    const jobs = await h.worker.queue.findJobs(QUEUES.githubOutbound);
    return jobs.every((job) => job.state === "completed" || job.state === "failed" || job.state === "cancelled");
  });
}

/** Barrier: a queued job has run to its end. */
async function finished(queue: string, id: string | null): Promise<void> {
  await until(async () => {
    const job = id ? await h.worker.queue.getJobById(queue, id) : null;
    return job?.state === "completed";
  });
}

test("a status change in Tandem closes the GitHub issue exactly once, and the returning webhook changes nothing", async () => {
  const { org, userId, fullName, repositoryId } = await writableRepo();
  const opened = example("issues", "opened");
  Object.assign(opened.repository, { full_name: fullName, id: repositoryId });
  Object.assign(opened.issue, {
    number: 77,
    title: "Close me from Tandem",
    state: "open",
    updated_at: "2026-05-01T10:00:00Z",
  });
  await settled(h.handle, (await deliver(h.worker, "issues", opened)).deliveryId);
  await followed(org.id);
  const task = await until(() => getTask(h.handle.db, { orgId: org.id, ref: { projectKey: org.prefix, number: 1 } }));

  const ctx = {
    ...(await systemCtx(h.handle.db, org.id)),
    actor: { type: "user" as const, userId, permissions: new Set(["admin.administrator"]) },
  };
  await updateTask({ ctx, input: { taskId: task.id, patch: { status: "done", version: task.version } } });

  const patch = await until(async () =>
    github.calls.find((call) => call.method === "PATCH" && call.path.endsWith("/issues/77")),
  );
  expect(patch.body).toEqual({ state: "closed", state_reason: "completed" });
  expect(patch.auth).toBe("token ghp_stand_in_token");

  // GitHub's own webhook for that close comes back.
  const [link] = await h.handle.db
    .select()
    .from(schema.githubIssue)
    .where(and(eq(schema.githubIssue.orgId, org.id), eq(schema.githubIssue.number, 77)));
  await until(
    async () =>
      link?.id && (await h.handle.sql`select state from github_issue where id = ${link.id}`)[0]?.state === "closed",
  );
  const [closedLink] = await h.handle.db
    .select()
    .from(schema.githubIssue)
    .where(eq(schema.githubIssue.id, link?.id ?? ""));
  const before = await getTask(h.handle.db, { orgId: org.id, ref: { id: task.id } });
  const closed = structuredClone(opened);
  closed.action = "closed";
  Object.assign(closed.issue, {
    state: "closed",
    state_reason: "completed",
    updated_at: closedLink?.githubUpdatedAt?.toISOString(),
  });
  await settled(h.handle, (await deliver(h.worker, "issues", closed)).deliveryId);
  const after = await getTask(h.handle.db, { orgId: org.id, ref: { id: task.id } });
  expect(after?.version).toBe(before?.version);
  expect(after?.status).toBe("done");
  // The follower has read the returning change and every call it queued has run.
  await followed(org.id);
  await outboundIdle();
  expect(github.calls.filter((call) => call.method === "PATCH" && call.path.endsWith("/issues/77"))).toHaveLength(1);
});

test("a comment made in Tandem on a synced task is posted to GitHub, and its webhook does not duplicate it", async () => {
  const { org, userId, fullName, repositoryId } = await writableRepo();
  const opened = example("issues", "opened");
  Object.assign(opened.repository, { full_name: fullName, id: repositoryId });
  Object.assign(opened.issue, { number: 78, title: "Discuss", state: "open" });
  await settled(h.handle, (await deliver(h.worker, "issues", opened)).deliveryId);
  await followed(org.id);
  const task = await until(() => getTask(h.handle.db, { orgId: org.id, ref: { projectKey: org.prefix, number: 1 } }));
  const { createComment } = await import("@tandem/domain");
  const ctx = {
    ...(await systemCtx(h.handle.db, org.id)),
    actor: { type: "user" as const, userId, permissions: new Set<string>() },
  };
  const comment = await createComment({ ctx, input: { taskId: task.id, body: "Posted from Tandem" } });
  const post = await until(async () =>
    github.calls.find((call) => call.method === "POST" && call.path.endsWith("/issues/78/comments")),
  );
  expect(post.body).toEqual({ body: "Posted from Tandem" });
  const [row] = await until(async () => {
    const rows = await h.handle.db.select().from(schema.taskComment).where(eq(schema.taskComment.id, comment.id));
    return rows[0]?.githubCommentId ? rows : undefined;
  });
  const echo = example("issue_comment", "created");
  Object.assign(echo.repository, { full_name: fullName, id: repositoryId });
  Object.assign(echo.issue, { number: 78, title: "Discuss", state: "open", pull_request: undefined });
  Object.assign(echo.comment, {
    id: row?.githubCommentId,
    body: "Posted from Tandem",
    updated_at: row?.updatedAt.toISOString(),
  });
  await settled(h.handle, (await deliver(h.worker, "issue_comment", echo)).deliveryId);
  const comments = await h.handle.db.select().from(schema.taskComment).where(eq(schema.taskComment.taskId, task.id));
  expect(comments).toHaveLength(1);
});

test("reconciliation creates the task for an issue whose webhook never arrived", async () => {
  const { org, fullName, repo } = await writableRepo();
  github.addIssue(fullName, standInIssue(301, "Missed by webhooks", { labels: [{ name: "lost", color: "cccccc" }] }));
  await h.worker.queue.send(QUEUES.githubReconcile, { repoId: repo.id });
  const task = await until(async () => {
    const rows = await h.handle.db.select().from(schema.task).where(eq(schema.task.orgId, org.id));
    return rows.find((row) => row.title === "Missed by webhooks");
  });
  expect(task.status).toBe("todo");
  const list = github.calls.find((call) => call.method === "GET" && call.path.includes(`/repos/${fullName}/issues`));
  expect(list?.path).toContain("state=all");
  // Running it again applies nothing twice.
  await finished(QUEUES.githubReconcile, await h.worker.queue.send(QUEUES.githubReconcile, { repoId: repo.id }));
  const all = await h.handle.db.select().from(schema.task).where(eq(schema.task.orgId, org.id));
  expect(all.filter((row) => row.title === "Missed by webhooks")).toHaveLength(1);
});
