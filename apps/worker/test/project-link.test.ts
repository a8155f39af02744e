import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { getTask, schema, type TaskRow } from "@tandem/database";
import { and, eq } from "drizzle-orm";
import { deliver, example, linkedOrg, settled, startTestWorker, type WorkerHarness } from "./harness.ts";
import { projectWithInbox, relinkToProject } from "./project-kit.ts";

/**
 * Issue 13: a repo link names a project; its issues land in that project's first `unstarted`
 * state, closed ones in its first `completed`, `not_planned` in its first `canceled`, and a
 * reopened issue goes back to the first `unstarted`. Real payloads from @octokit/webhooks-examples.
 */
let h: WorkerHarness;
beforeAll(async () => {
  h = await startTestWorker();
});
afterAll(() => h.stop());

let minute = 0;
/** The example payload of `action` for one issue of `repoName`, each one newer than the last. */
function issuePayload(repoName: string, action: string, issue: Record<string, unknown>) {
  // The examples have no `closed`: an `edited` payload carries the same issue shape.
  const payload = example("issues", action === "closed" ? "edited" : action);
  payload.action = action;
  payload.repository.full_name = repoName;
  minute += 1;
  Object.assign(payload.issue, { updated_at: new Date(Date.UTC(2026, 6, 1, 10, minute)).toISOString(), ...issue });
  return payload;
}

async function send(payload: Record<string, unknown>) {
  const { deliveryId, status } = await deliver(h.worker, "issues", payload);
  expect(status).toBeLessThan(300);
  expect(await settled(h.handle, deliveryId)).toBe("processed");
}

async function issueTask(orgId: string, number: number): Promise<TaskRow> {
  const [link] = await h.handle.db
    .select()
    .from(schema.githubIssue)
    .where(and(eq(schema.githubIssue.orgId, orgId), eq(schema.githubIssue.number, number)));
  const task = link && (await getTask(h.handle.db, { orgId, ref: { id: link.taskId } }));
  if (!task) throw new Error(`no task for issue #${number}`);
  return task;
}

describe("a repo link's project", () => {
  test("issues land in the project's states by category: open, closed, not planned, reopened", async () => {
    const { org, repo, repoName } = await linkedOrg(h.handle, "ENG");
    const ops = await projectWithInbox(h.handle.db, org.id, "OPS");
    const relinked = await relinkToProject(h.handle.db, org.id, repo.id, "OPS");
    expect(relinked.projectId).toBe(ops.project.id);

    await send(issuePayload(repoName, "opened", { number: 7, id: 9_999_007, state: "open", state_reason: null }));
    const opened = await issueTask(org.id, 7);
    expect(opened.projectId).toBe(ops.project.id);
    // The project's first unstarted state is Inbox (before Todo).
    expect(opened.stateId).toBe(ops.inbox.id);
    expect(opened.status).toBe("todo");
    expect(opened.number).toBe(1);

    await send(
      issuePayload(repoName, "closed", { number: 7, id: 9_999_007, state: "closed", state_reason: "completed" }),
    );
    const closed = await issueTask(org.id, 7);
    expect([closed.stateId, closed.status]).toEqual([ops.byCategory.completed, "done"]);

    await send(
      issuePayload(repoName, "reopened", { number: 7, id: 9_999_007, state: "open", state_reason: "reopened" }),
    );
    expect((await issueTask(org.id, 7)).stateId).toBe(ops.inbox.id);

    await send(
      issuePayload(repoName, "closed", { number: 7, id: 9_999_007, state: "closed", state_reason: "not_planned" }),
    );
    const dropped = await issueTask(org.id, 7);
    expect([dropped.stateId, dropped.status]).toEqual([ops.byCategory.canceled, "canceled"]);

    // A closed issue seen first lands closed.
    await send(
      issuePayload(repoName, "closed", { number: 8, state: "closed", state_reason: "not_planned", id: 9_999_008 }),
    );
    const first = await issueTask(org.id, 8);
    expect([first.projectId, first.stateId]).toEqual([ops.project.id, ops.byCategory.canceled]);
  });

  test("a project without a canceled state takes a not-planned issue in its first completed state", async () => {
    const { org, repo, repoName } = await linkedOrg(h.handle, "NOC");
    const ops = await projectWithInbox(h.handle.db, org.id, "NOCAN");
    await h.handle.db.delete(schema.workflowState).where(eq(schema.workflowState.id, ops.byCategory.canceled));
    await relinkToProject(h.handle.db, org.id, repo.id, "NOCAN");
    await send(
      issuePayload(repoName, "closed", { number: 4, id: 9_999_004, state: "closed", state_reason: "not_planned" }),
    );
    const task = await issueTask(org.id, 4);
    expect([task.stateId, task.status]).toEqual([ops.byCategory.completed, "done"]);
  });

  test("a link made without a project files issues in the org's first project", async () => {
    const { org, repo, repoName } = await linkedOrg(h.handle, "DEF");
    expect(repo.projectId).not.toBeNull();
    await send(issuePayload(repoName, "opened", { number: 3, state: "open", state_reason: null }));
    const task = await issueTask(org.id, 3);
    expect(task.projectId).toBe(repo.projectId ?? "");
    const [state] = await h.handle.db
      .select()
      .from(schema.workflowState)
      .where(eq(schema.workflowState.id, task.stateId));
    expect(state?.category).toBe("unstarted");
  });
});
