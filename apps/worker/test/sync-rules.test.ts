import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { getTask, schema, type TaskRow } from "@tandem/database";
import { and, eq, isNull } from "drizzle-orm";
import { deliver, example, linkedOrg, settled, startTestWorker, type WorkerHarness } from "./harness.ts";

let h: WorkerHarness;
beforeAll(async () => {
  h = await startTestWorker();
});
afterAll(() => h.stop());

async function send(event: string, payload: unknown, expected = "processed") {
  const result = await deliver(h.worker, event, payload);
  expect(result.status).toBe(202);
  expect(await settled(h.handle, result.deliveryId)).toBe(expected);
}

async function linkedTask(table: "issue" | "pr", orgId: string, number: number): Promise<TaskRow | undefined> {
  const t = table === "issue" ? schema.githubIssue : schema.githubPullRequest;
  const [link] = await h.handle.db
    .select()
    .from(t)
    .where(and(eq(t.orgId, orgId), eq(t.number, number)));
  return link ? getTask(h.handle.db, { orgId, ref: { id: link.taskId }, includeDeleted: true }) : undefined;
}

const labelsOf = async (orgId: string) =>
  (await h.handle.db.select().from(schema.label).where(eq(schema.label.orgId, orgId))).map((l) => ({
    id: l.id,
    name: l.name,
    color: l.color,
  }));

function issueEvent(repo: string, action: string, patch: Record<string, unknown>) {
  const payload = example("issues", action === "closed" || action === "transferred" ? "edited" : action);
  payload.action = action;
  payload.repository.full_name = repo;
  Object.assign(payload.issue, patch);
  return payload;
}

function commentEvent(repo: string, action: string, issue: Record<string, unknown>, comment: Record<string, unknown>) {
  const payload = example("issue_comment", action === "edited" ? "edited" : "created");
  payload.action = action;
  payload.repository.full_name = repo;
  Object.assign(payload.issue, { pull_request: undefined, ...issue });
  Object.assign(payload.comment, comment);
  return payload;
}

describe("tombstones", () => {
  test("a comment deleted before its create and edit arrive stays deleted", async () => {
    const { org, repoName } = await linkedOrg(h.handle, "TMB");
    const issue = { number: 5, title: "Talk", state: "open", updated_at: "2026-07-01T10:00:00Z" };
    const comment = { id: 71_000_001, created_at: "2026-07-01T10:01:00Z" };
    await send(
      "issue_comment",
      commentEvent(repoName, "deleted", issue, { ...comment, body: "v2", updated_at: "2026-07-01T10:02:00Z" }),
    );
    await send(
      "issue_comment",
      commentEvent(repoName, "created", issue, { ...comment, body: "v1", updated_at: "2026-07-01T10:01:00Z" }),
    );
    await send(
      "issue_comment",
      commentEvent(repoName, "edited", issue, { ...comment, body: "v2", updated_at: "2026-07-01T10:02:00Z" }),
    );
    const visible = await h.handle.db
      .select()
      .from(schema.taskComment)
      .where(and(eq(schema.taskComment.orgId, org.id), isNull(schema.taskComment.deletedAt)));
    expect(visible).toEqual([]);
  });

  test("an issue deleted (or transferred) before it was opened never appears", async () => {
    const { org, repoName } = await linkedOrg(h.handle, "TMI");
    for (const [number, gone] of [
      [6, "deleted"],
      [7, "transferred"],
    ] as const) {
      const issue = { id: 81_000_000 + number, number, title: `Gone ${number}`, state: "open" };
      await send("issues", issueEvent(repoName, gone, { ...issue, updated_at: "2026-07-02T10:05:00Z" }));
      await send("issues", issueEvent(repoName, "opened", { ...issue, updated_at: "2026-07-02T10:00:00Z" }));
      await send(
        "issues",
        issueEvent(repoName, "edited", { ...issue, title: "Late edit", updated_at: "2026-07-02T10:01:00Z" }),
      );
    }
    const tasks = await h.handle.db
      .select()
      .from(schema.task)
      .where(and(eq(schema.task.orgId, org.id), isNull(schema.task.deletedAt)));
    expect(tasks).toEqual([]);
  });
});

describe("real payloads", () => {
  test("issues.pinned and issues.unpinned (no state, no labels) are applied without touching status or labels", async () => {
    const { org, repoName } = await linkedOrg(h.handle, "PIN");
    const opened = issueEvent(repoName, "opened", {
      number: 8,
      title: "Pinned one",
      state: "closed",
      state_reason: "completed",
      labels: [{ name: "keep", color: "00ff00" }],
      updated_at: "2026-07-03T10:00:00Z",
    });
    await send("issues", opened);
    for (const [action, hour] of [
      ["pinned", 11],
      ["unpinned", 12],
    ] as const) {
      const payload = example("issues", action);
      payload.repository.full_name = repoName;
      expect(payload.issue.state).toBeUndefined();
      Object.assign(payload.issue, {
        number: 8,
        title: `Pinned one (${action})`,
        updated_at: `2026-07-03T${hour}:00:00Z`,
      });
      await send("issues", payload);
    }
    const task = await linkedTask("issue", org.id, 8);
    expect(task).toMatchObject({ title: "Pinned one (unpinned)", status: "done" });
    expect((await labelsOf(org.id)).filter((l) => task?.labelIds.includes(l.id)).map((l) => l.name)).toEqual(["keep"]);
  });
});

describe("pull requests, labels, reviews and assignees", () => {
  test("a PR's labels and assignees are mirrored; GitHub users without an account are kept as external assignees", async () => {
    const { org, repoName } = await linkedOrg(h.handle, "PRL");
    const payload = example("pull_request", "labeled");
    payload.repository.full_name = repoName;
    Object.assign(payload.pull_request, {
      number: 40,
      body: "No closing reference",
      state: "open",
      labels: [{ name: "needs-review", color: "fbca04" }],
      assignees: [{ id: 9_001, login: "octo-outsider", avatar_url: "https://avatars.example/octo.png" }],
      updated_at: "2026-07-04T10:00:00Z",
    });
    await send("pull_request", payload);
    const task = await linkedTask("pr", org.id, 40);
    const labels = await labelsOf(org.id);
    expect(labels.filter((l) => task?.labelIds.includes(l.id)).map((l) => [l.name, l.color])).toEqual([
      ["needs-review", "#fbca04"],
    ]);
    expect(task?.assigneeIds).toEqual([]);
    expect(task?.externalAssignees).toEqual([
      { login: "octo-outsider", avatarUrl: "https://avatars.example/octo.png" },
    ]);
  });

  test("label events rename, recolour and delete the org's label; a deleted label is not brought back", async () => {
    const { org, repoName } = await linkedOrg(h.handle, "LBL");
    await send(
      "issues",
      issueEvent(repoName, "opened", {
        number: 9,
        labels: [{ name: "bug", color: "d73a4a" }],
        updated_at: "2026-07-05T10:00:00Z",
      }),
    );
    const edited = example("label", "edited");
    edited.repository.full_name = repoName;
    edited.label = { ...edited.label, id: 555, name: "defect", color: "000000" };
    edited.changes = { name: { from: "bug" }, color: { from: "d73a4a" } };
    await send("label", edited);
    const [renamed] = await labelsOf(org.id);
    expect(renamed).toMatchObject({ name: "defect", color: "#000000" });
    expect((await linkedTask("issue", org.id, 9))?.labelIds).toEqual([renamed?.id ?? ""]);

    const deleted = example("label", "deleted");
    deleted.repository.full_name = repoName;
    deleted.label = { ...deleted.label, id: 555, name: "defect" };
    await send("label", deleted);
    const created = example("label", "created");
    created.repository.full_name = repoName;
    created.label = { ...created.label, id: 555, name: "defect" };
    await send("label", created);
    expect(await labelsOf(org.id)).toEqual([]);
    expect((await linkedTask("issue", org.id, 9))?.labelIds).toEqual([]);
  });

  test("reviews show on the PR's task: approved, then changes requested by another reviewer, then that one dismissed", async () => {
    const { org, repoName } = await linkedOrg(h.handle, "REV");
    const review = (id: number, reviewer: number, state: string, action = "submitted") => {
      const payload = example("pull_request_review", action === "dismissed" ? "dismissed" : "submitted");
      payload.action = action;
      payload.repository.full_name = repoName;
      Object.assign(payload.pull_request, { number: 41, body: "", updated_at: "2026-07-06T10:00:00Z" });
      Object.assign(payload.review, {
        id,
        state,
        user: { ...payload.review.user, id: reviewer },
        submitted_at: "2026-07-06T11:00:00Z",
      });
      return payload;
    };
    // Out of order on purpose: the dismissal of review 3 arrives before review 3 itself.
    await send("pull_request_review", review(1, 100, "approved"));
    expect((await linkedTask("pr", org.id, 41))?.reviewState).toBe("approved");
    await send("pull_request_review", review(3, 200, "dismissed", "dismissed"));
    await send("pull_request_review", review(3, 200, "changes_requested"));
    expect((await linkedTask("pr", org.id, 41))?.reviewState).toBe("approved");
    await send("pull_request_review", review(4, 200, "changes_requested"));
    expect((await linkedTask("pr", org.id, 41))?.reviewState).toBe("changes_requested");
    await send("pull_request_review", review(5, 200, "commented"));
    expect((await linkedTask("pr", org.id, 41))?.reviewState).toBe("changes_requested");
  });
});
