import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { getTask, schema } from "@tandem/database";
import { and, eq } from "drizzle-orm";
import { deliver, example, linkedOrg, settled, startTestWorker, until, type WorkerHarness } from "./harness.ts";

let h: WorkerHarness;
beforeAll(async () => {
  h = await startTestWorker();
});
afterAll(() => h.stop());

let nextNumber = 1000;
/** A real issues payload, pointed at our linked repo and a fresh issue number. */
function issuePayload(repo: string, action: string, patch: Record<string, unknown> = {}) {
  // The examples have no issues.closed; an edited payload with its action set stands in.
  const payload =
    action === "closed" ? { ...example("issues", "edited"), action: "closed" } : example("issues", action);
  payload.repository.full_name = repo;
  Object.assign(payload.issue, patch);
  return payload;
}

async function taskForIssue(orgId: string, number: number) {
  const [link] = await h.handle.db
    .select()
    .from(schema.githubIssue)
    .where(and(eq(schema.githubIssue.orgId, orgId), eq(schema.githubIssue.number, number)));
  return link ? getTask(h.handle.db, { orgId, ref: { id: link.taskId }, includeDeleted: true }) : undefined;
}

describe("webhook endpoint", () => {
  test("an unsigned or wrongly signed delivery gets 401 and leaves no row and no job", async () => {
    const { repoName } = await linkedOrg(h.handle);
    const payload = issuePayload(repoName, "opened", { number: nextNumber++ });
    for (const signature of [null, "sha256=0000", "sha1=abc"]) {
      const result = await deliver(h.worker, "issues", payload, { signature });
      expect(result.status).toBe(401);
      const rows = await h.handle.sql`select 1 from webhook_delivery where id = ${result.deliveryId}`;
      expect(rows.length).toBe(0);
      const jobs = await h.handle.sql`select 1 from pgboss.job where data->>'deliveryId' = ${result.deliveryId}`;
      expect(jobs.length).toBe(0);
    }
    // A signature made with another secret is as bad as none.
    const forged = await deliver(h.worker, "issues", payload, {
      signature: `sha256=${new Bun.CryptoHasher("sha256", "wrong-secret").update(JSON.stringify(payload)).digest("hex")}`,
    });
    expect(forged.status).toBe(401);
  });

  test("unknown events are acknowledged and ignored; ping is handled", async () => {
    const { hook } = await linkedOrg(h.handle);
    expect((await deliver(h.worker, "star", { action: "created" }, { to: hook })).body.status).toBe("ignored");
    const ping = await deliver(h.worker, "ping", { zen: "Keep it logically awesome.", hook_id: 1 }, { to: hook });
    expect(ping.status).toBe(202);
    expect(await settled(h.handle, ping.deliveryId)).toBe("ignored");
  });

  test("the same delivery 5 times is applied once", async () => {
    const { org, repoName } = await linkedOrg(h.handle);
    const number = nextNumber++;
    const payload = issuePayload(repoName, "opened", { number, title: "Redelivered" });
    const deliveryId = crypto.randomUUID();
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await deliver(h.worker, "issues", payload, { deliveryId }));
    expect(results.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    expect(results.map((r) => r.body.status)).toEqual(["queued", "duplicate", "duplicate", "duplicate", "duplicate"]);
    expect(await settled(h.handle, deliveryId)).toBe("processed");
    const tasks = await h.handle.db.select().from(schema.task).where(eq(schema.task.orgId, org.id));
    expect(tasks.map((t) => t.title)).toEqual(["Redelivered"]);
    const created = await h.handle.db
      .select()
      .from(schema.event)
      .where(and(eq(schema.event.orgId, org.id), eq(schema.event.type, "CREATE_TASK")));
    expect(created).toHaveLength(1);
  });
});

describe("issue sync", () => {
  test("opened, edited, labeled, unlabeled, closed (completed / not planned), reopened, deleted", async () => {
    const { org, repoName } = await linkedOrg(h.handle, "SYN");
    const number = nextNumber++;
    const at = (minute: number) => `2026-01-01T10:${String(minute).padStart(2, "0")}:00Z`;
    const send = async (action: string, patch: Record<string, unknown>) => {
      const result = await deliver(h.worker, "issues", issuePayload(repoName, action, { number, ...patch }));
      expect(await settled(h.handle, result.deliveryId)).toBe("processed");
      return taskForIssue(org.id, number);
    };
    let task = await send("opened", { title: "Spec", body: "Details", state: "open", labels: [], updated_at: at(1) });
    expect(task).toMatchObject({ title: "Spec", description: "Details", status: "todo" });
    task = await send("edited", { title: "Spec v2", updated_at: at(2) });
    expect(task?.title).toBe("Spec v2");
    task = await send("labeled", { title: "Spec v2", labels: [{ name: "bug", color: "d73a4a" }], updated_at: at(3) });
    const [bug] = await h.handle.db
      .select()
      .from(schema.label)
      .where(and(eq(schema.label.orgId, org.id), eq(schema.label.name, "bug")));
    expect(bug?.color).toBe("#d73a4a");
    expect(task?.labelIds).toEqual([bug?.id ?? ""]);
    task = await send("unlabeled", { title: "Spec v2", labels: [], updated_at: at(4) });
    expect(task?.labelIds).toEqual([]);
    task = await send("closed", { title: "Spec v2", state: "closed", state_reason: "completed", updated_at: at(5) });
    expect(task?.status).toBe("done");
    task = await send("reopened", { title: "Spec v2", state: "open", state_reason: "reopened", updated_at: at(6) });
    expect(task?.status).toBe("todo");
    task = await send("closed", { title: "Spec v2", state: "closed", state_reason: "not_planned", updated_at: at(7) });
    expect(task?.status).toBe("canceled");
    task = await send("deleted", { updated_at: at(8) });
    expect(task?.deletedAt).not.toBeNull();
  });

  test("a shuffled order of opened/edited/labeled/closed gives the same task as the natural order", async () => {
    const timeline = [
      { action: "opened", patch: { title: "First", state: "open", labels: [], updated_at: "2026-02-01T10:00:00Z" } },
      {
        action: "edited",
        patch: { title: "Final title", state: "open", labels: [], updated_at: "2026-02-01T10:01:00Z" },
      },
      {
        action: "labeled",
        patch: {
          title: "Final title",
          state: "open",
          labels: [{ name: "feature", color: "a2eeef" }],
          updated_at: "2026-02-01T10:02:00Z",
        },
      },
      {
        action: "closed",
        patch: {
          title: "Final title",
          state: "closed",
          state_reason: "completed",
          labels: [{ name: "feature", color: "a2eeef" }],
          updated_at: "2026-02-01T10:03:00Z",
        },
      },
    ];
    const orders = [
      [0, 1, 2, 3],
      [3, 2, 1, 0],
      [2, 0, 3, 1],
      [1, 3, 0, 2],
      [3, 0, 2, 1],
    ];
    const finals = [];
    for (const order of orders) {
      const { org, repoName } = await linkedOrg(h.handle, "SHF");
      const number = nextNumber++;
      for (const index of order) {
        const step = timeline[index];
        if (!step) continue;
        const result = await deliver(
          h.worker,
          "issues",
          issuePayload(repoName, step.action, { number, ...step.patch }),
        );
        await settled(h.handle, result.deliveryId);
      }
      const task = await taskForIssue(org.id, number);
      const labels = await h.handle.db.select().from(schema.label).where(eq(schema.label.orgId, org.id));
      finals.push({
        title: task?.title,
        status: task?.status,
        labels: labels.filter((l) => task?.labelIds.includes(l.id)).map((l) => l.name),
      });
    }
    for (const final of finals) expect(final).toEqual({ title: "Final title", status: "done", labels: ["feature"] });
  });
});

describe("pull requests and comments", () => {
  test('a PR merged with "Fixes ENG-1" moves ENG-1 to done; a PR of its own becomes a task', async () => {
    const { org, repoName } = await linkedOrg(h.handle, "ENG");
    const issue = issuePayload(repoName, "opened", { number: nextNumber++, title: "Bug to fix", state: "open" });
    await settled(h.handle, (await deliver(h.worker, "issues", issue)).deliveryId);
    const target = await getTask(h.handle.db, { orgId: org.id, ref: { projectKey: org.prefix, number: 1 } });
    expect(target?.status).toBe("todo");

    const opened = example("pull_request", "opened");
    opened.repository.full_name = repoName;
    Object.assign(opened.pull_request, {
      number: nextNumber++,
      body: "This Fixes ENG-1 for good",
      state: "open",
      merged: false,
      updated_at: "2026-03-01T10:00:00Z",
    });
    await settled(h.handle, (await deliver(h.worker, "pull_request", opened)).deliveryId);
    expect((await getTask(h.handle.db, { orgId: org.id, ref: { projectKey: org.prefix, number: 1 } }))?.status).toBe(
      "todo",
    );

    const merged = example("pull_request", "closed");
    merged.repository.full_name = repoName;
    Object.assign(merged.pull_request, {
      number: opened.pull_request.number,
      body: "This Fixes ENG-1 for good",
      state: "closed",
      merged: true,
      merged_at: "2026-03-01T11:00:00Z",
      updated_at: "2026-03-01T11:00:00Z",
    });
    await settled(h.handle, (await deliver(h.worker, "pull_request", merged)).deliveryId);
    expect((await getTask(h.handle.db, { orgId: org.id, ref: { projectKey: org.prefix, number: 1 } }))?.status).toBe(
      "done",
    );

    const standalone = example("pull_request", "opened");
    standalone.repository.full_name = repoName;
    Object.assign(standalone.pull_request, {
      number: nextNumber++,
      title: "Refactor the parser",
      body: "No issue",
      state: "open",
    });
    await settled(h.handle, (await deliver(h.worker, "pull_request", standalone)).deliveryId);
    const tasks = await h.handle.db.select().from(schema.task).where(eq(schema.task.orgId, org.id));
    expect(tasks.map((t) => t.title).sort()).toEqual(["Bug to fix", "Refactor the parser"]);

    // Merging a PR that closes nothing completes its own task.
    const standaloneMerged = structuredClone(standalone);
    standaloneMerged.action = "closed";
    Object.assign(standaloneMerged.pull_request, {
      state: "closed",
      merged: true,
      merged_at: "2026-03-02T10:00:00Z",
      updated_at: "2026-03-02T10:00:00Z",
    });
    await settled(h.handle, (await deliver(h.worker, "pull_request", standaloneMerged)).deliveryId);
    const own = await h.handle.db.select().from(schema.task).where(eq(schema.task.orgId, org.id));
    expect(own.find((t) => t.title === "Refactor the parser")?.status).toBe("done");
  });

  test("issue comments mirror as task comments with the GitHub author, once per comment", async () => {
    const { org, repoName } = await linkedOrg(h.handle, "CMT");
    const number = nextNumber++;
    const created = example("issue_comment", "created");
    created.repository.full_name = repoName;
    Object.assign(created.issue, { number, title: "Discussed", state: "open", pull_request: undefined });
    Object.assign(created.comment, { id: 900_000 + number, body: "First!", updated_at: "2026-04-01T10:00:00Z" });
    await settled(h.handle, (await deliver(h.worker, "issue_comment", created)).deliveryId);
    await settled(h.handle, (await deliver(h.worker, "issue_comment", created)).deliveryId); // a second delivery of the same comment
    const edited = structuredClone(created);
    edited.action = "edited";
    Object.assign(edited.comment, { body: "First! (edited)", updated_at: "2026-04-01T10:05:00Z" });
    await settled(h.handle, (await deliver(h.worker, "issue_comment", edited)).deliveryId);
    let comments = await h.handle.db.select().from(schema.taskComment).where(eq(schema.taskComment.orgId, org.id));
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({ body: "First! (edited)", authorId: null });
    expect(comments[0]?.externalAuthor?.login).toBe(created.comment.user.login);
    const deleted = structuredClone(edited);
    deleted.action = "deleted";
    await settled(h.handle, (await deliver(h.worker, "issue_comment", deleted)).deliveryId);
    comments = await h.handle.db.select().from(schema.taskComment).where(eq(schema.taskComment.orgId, org.id));
    expect(comments[0]?.deletedAt).not.toBeNull();
  });
});

describe("unusable payloads", () => {
  test("a payload the sync cannot use is acknowledged, recorded as ignored with the reason, and never retried", async () => {
    const { repoName } = await linkedOrg(h.handle, "UNU");
    const broken = issuePayload(repoName, "opened", { number: nextNumber++ });
    broken.issue.title = 42;
    const result = await deliver(h.worker, "issues", broken);
    expect(result.status).toBe(202);
    expect(await settled(h.handle, result.deliveryId)).toBe("ignored");
    const [row] = await h.handle.sql<{ error: string; error_step: string }[]>`
      select error, error_step from webhook_delivery where id = ${result.deliveryId}`;
    expect(row?.error).toContain("issue.title");
    expect(row?.error_step).toBe("parse");
    // The delivery is recorded inside the job; the queue marks the job done just after.
    const job = await until(async () => {
      const [row] = await h.handle.sql<{ retry_count: number; state: string }[]>`
        select retry_count, state from pgboss.job where data->>'deliveryId' = ${result.deliveryId} and name = 'github-event'`;
      return row && row.state !== "active" && row.state !== "created" ? row : undefined;
    });
    expect(job).toMatchObject({ state: "completed", retry_count: 0 });
  });
});
