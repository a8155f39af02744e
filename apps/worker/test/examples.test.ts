import { afterAll, beforeAll, expect, test } from "bun:test";
import examples from "@octokit/webhooks-examples";
import { getTask, schema, type TaskRow } from "@tandem/database";
import { and, eq, isNull } from "drizzle-orm";
import { deliver, linkedOrg, settled, startTestWorker, type WorkerHarness } from "./harness.ts";

/**
 * Every example payload `@octokit/webhooks-examples` has for the events the sync takes, each
 * delivered to an org of its own through the real worker: none is refused with a 5xx, none
 * dead-letters, and what the org ends with matches the payload.
 */
const EVENTS = ["issues", "issue_comment", "pull_request", "pull_request_review", "label", "ping", "installation"];

type Json = Record<string, any>;
type Case = { event: string; payload: Json; index: number };

let h: WorkerHarness;
beforeAll(async () => {
  h = await startTestWorker();
});
afterAll(() => h.stop());

const cases: Case[] = examples
  .filter((group) => EVENTS.includes(group.name))
  .flatMap((group) =>
    group.examples.map((payload, index) => ({ event: group.name, payload: structuredClone(payload) as Json, index })),
  );

async function linkedTask(orgId: string, kind: "issue" | "pr", number: number): Promise<TaskRow | undefined> {
  const table = kind === "issue" ? schema.githubIssue : schema.githubPullRequest;
  const [link] = await h.handle.db
    .select()
    .from(table)
    .where(and(eq(table.orgId, orgId), eq(table.number, number)));
  return link ? getTask(h.handle.db, { orgId, ref: { id: link.taskId } }) : undefined;
}

async function labelNames(orgId: string, ids?: string[]) {
  const rows = await h.handle.db.select().from(schema.label).where(eq(schema.label.orgId, orgId));
  return rows
    .filter((row) => !ids || ids.includes(row.id))
    .map((row) => row.name)
    .sort();
}

const names = (labels: Json[] | undefined) => (labels ?? []).map((l) => l.name).sort();
const logins = (users: Json[] | undefined) => (users ?? []).map((u) => u.login).sort();
const issueStatus = (issue: Json) =>
  issue.state === "closed" ? (issue.state_reason === "not_planned" ? "canceled" : "done") : "todo";
const prStatus = (pr: Json) => (pr.state === "closed" ? (pr.merged || pr.merged_at ? "done" : "canceled") : "todo");

/** What the org must hold after the one delivery, read back from the database. */
async function expectMatches(orgId: string, { event, payload }: Case) {
  const action = payload.action;
  if (event === "issues") {
    const task = await linkedTask(orgId, "issue", payload.issue.number);
    if (action === "deleted" || action === "transferred" || payload.issue.pull_request) {
      return expect(task).toBeUndefined();
    }
    expect(task?.title).toBe(payload.issue.title);
    expect(task?.description).toBe(payload.issue.body ?? "");
    if (payload.issue.state) expect(task?.status).toBe(issueStatus(payload.issue));
    if (payload.issue.labels) expect(await labelNames(orgId, task?.labelIds)).toEqual(names(payload.issue.labels));
    if (payload.issue.assignees) {
      expect(task?.externalAssignees.map((u) => u.login).sort()).toEqual(logins(payload.issue.assignees));
    }
  } else if (event === "issue_comment") {
    const comments = await h.handle.db
      .select()
      .from(schema.taskComment)
      .where(and(eq(schema.taskComment.orgId, orgId), isNull(schema.taskComment.deletedAt)));
    const onPullRequest = payload.issue.pull_request !== undefined;
    if (!onPullRequest)
      expect((await linkedTask(orgId, "issue", payload.issue.number))?.title).toBe(payload.issue.title);
    if (action === "deleted" || onPullRequest) return expect(comments).toEqual([]);
    expect(comments.map((c) => [c.body, c.externalAuthor?.login])).toEqual([
      [payload.comment.body, payload.comment.user.login],
    ]);
  } else if (event === "pull_request" || event === "pull_request_review") {
    const pr = payload.pull_request;
    const task = await linkedTask(orgId, "pr", pr.number);
    expect(task?.title).toBe(pr.title);
    if (event === "pull_request") {
      expect(task?.status).toBe(prStatus(pr));
      expect(await labelNames(orgId, task?.labelIds)).toEqual(names(pr.labels));
      expect(task?.externalAssignees.map((u) => u.login).sort()).toEqual(logins(pr.assignees));
    } else {
      const state = payload.review.state.toLowerCase();
      expect(task?.reviewState).toBe(["approved", "changes_requested"].includes(state) ? state : null);
    }
  } else if (event === "label") {
    const labels = await h.handle.db.select().from(schema.label).where(eq(schema.label.orgId, orgId));
    if (action === "deleted") return expect(labels).toEqual([]);
    expect(labels.map((l) => [l.name, l.color])).toEqual([[payload.label.name, `#${payload.label.color}`]]);
  }
}

test(`all ${cases.length} example payloads of ${EVENTS.join(", ")} are applied, none 5xx, none dead`, async () => {
  expect(cases.length).toBeGreaterThan(80);
  const results = await Promise.all(
    cases.map(async (item) => {
      const { org, repoName } = await linkedOrg(h.handle, "EXA");
      if (item.payload.repository) item.payload.repository.full_name = repoName;
      const response = await deliver(h.worker, item.event, item.payload);
      return { item, orgId: org.id, response };
    }),
  );
  const failures: string[] = [];
  for (const { item, orgId, response } of results) {
    const name = `${item.event}.${item.payload.action ?? ""} #${item.index}`;
    expect(response.status, name).toBe(202);
    if (response.body.status === "ignored" && !item.payload.repository) continue; // App-mode only: nobody claimed it
    const status = await settled(h.handle, response.deliveryId, 30_000);
    // GitHub also sends `issues` events (milestoned…) for pull requests: their own events carry them.
    const handled = !["ping", "installation"].includes(item.event) && !item.payload.issue?.pull_request?.url;
    if (status !== (handled ? "processed" : "ignored")) failures.push(`${name}: ${status}`);
    try {
      await expectMatches(orgId, item);
    } catch (error) {
      failures.push(`${name}: ${String(error).slice(0, 300)}`);
    }
  }
  expect(failures).toEqual([]);
}, 120_000);
