import { afterAll, beforeAll, expect, test } from "bun:test";
import { getTask, schema } from "@tandem/database";
import { and, eq, isNull } from "drizzle-orm";
import fc from "fast-check";
import { deliver, example, linkedOrg, settled, startTestWorker, type WorkerHarness } from "./harness.ts";

/**
 * A realistic issue lifecycle (opened, labeled, assigned, edited, closed, reopened, comments
 * created, edited and deleted), delivered in random orders and random batch groupings (a group
 * arrives at once and is queued together): the final task, labels, assignees and comments are
 * always the ones GitHub ends with.
 */
let h: WorkerHarness;
beforeAll(async () => {
  h = await startTestWorker();
});
afterAll(() => h.stop());

const at = (minute: number) => `2026-08-01T10:${String(minute).padStart(2, "0")}:00Z`;
const BUG = { name: "bug", color: "d73a4a" };
const OUTSIDER = { id: 7_700_001, login: "outside-contributor", avatar_url: "https://avatars.example/oc.png" };

/** The issue as GitHub has it after step `minute` (every payload carries the whole issue). */
function issueAt(minute: number) {
  return {
    number: 12,
    title: minute >= 4 ? "Lifecycle, edited" : "Lifecycle",
    body: minute >= 4 ? "Second description" : "First description",
    state: minute === 5 ? "closed" : "open",
    state_reason: minute === 5 ? "completed" : minute >= 6 ? "reopened" : null,
    labels: minute >= 2 ? [BUG] : [],
    assignees: minute >= 3 ? [OUTSIDER] : [],
    updated_at: at(minute),
  };
}

type Delivery = { event: string; build: (repo: string) => Record<string, any> };

function issueEvent(action: string, minute: number): Delivery {
  return {
    event: "issues",
    build: (repo) => {
      const payload = example("issues", action === "closed" ? "edited" : action);
      payload.action = action;
      payload.repository.full_name = repo;
      Object.assign(payload.issue, issueAt(minute));
      return payload;
    },
  };
}

function commentEvent(
  action: string,
  minute: number,
  comment: { id: number; body: string; created: number },
): Delivery {
  return {
    event: "issue_comment",
    build: (repo) => {
      const payload = example("issue_comment", action === "edited" ? "edited" : "created");
      payload.action = action;
      payload.repository.full_name = repo;
      Object.assign(payload.issue, { ...issueAt(minute), pull_request: undefined });
      Object.assign(payload.comment, {
        id: comment.id,
        body: comment.body,
        created_at: at(comment.created),
        updated_at: at(minute),
      });
      return payload;
    },
  };
}

const LIFECYCLE: Delivery[] = [
  issueEvent("opened", 1),
  issueEvent("labeled", 2),
  issueEvent("assigned", 3),
  issueEvent("edited", 4),
  issueEvent("closed", 5),
  issueEvent("reopened", 6),
  commentEvent("created", 7, { id: 5_500_001, body: "First comment", created: 7 }),
  commentEvent("edited", 8, { id: 5_500_001, body: "First comment, edited", created: 7 }),
  commentEvent("created", 9, { id: 5_500_002, body: "Second comment", created: 9 }),
  commentEvent("deleted", 10, { id: 5_500_002, body: "Second comment", created: 9 }),
];

async function finalState(orgId: string) {
  const [link] = await h.handle.db
    .select()
    .from(schema.githubIssue)
    .where(and(eq(schema.githubIssue.orgId, orgId), eq(schema.githubIssue.number, 12)));
  const task = link ? await getTask(h.handle.db, { orgId, ref: { id: link.taskId } }) : undefined;
  const labels = await h.handle.db.select().from(schema.label).where(eq(schema.label.orgId, orgId));
  const comments = await h.handle.db
    .select()
    .from(schema.taskComment)
    .where(and(eq(schema.taskComment.orgId, orgId), isNull(schema.taskComment.deletedAt)));
  return {
    title: task?.title,
    description: task?.description,
    status: task?.status,
    labels: labels.filter((l) => task?.labelIds.includes(l.id)).map((l) => [l.name, l.color]),
    assignees: task?.externalAssignees,
    comments: comments.map((c) => [c.body, c.editedAt?.toISOString() ?? null]),
  };
}

const EXPECTED: Awaited<ReturnType<typeof finalState>> = {
  title: "Lifecycle, edited",
  description: "Second description",
  status: "todo",
  labels: [["bug", "#d73a4a"]],
  assignees: [{ login: OUTSIDER.login, avatarUrl: OUTSIDER.avatar_url }],
  comments: [["First comment, edited", new Date(at(8)).toISOString()]],
};

/** An order of the deliveries, and how many arrive together in each batch. */
const scenario = fc.record({
  order: fc.shuffledSubarray(
    LIFECYCLE.map((_, index) => index),
    { minLength: LIFECYCLE.length, maxLength: LIFECYCLE.length },
  ),
  groups: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: LIFECYCLE.length, maxLength: LIFECYCLE.length }),
});

test("any order and batching of a lifecycle ends in the same task, labels, assignees and comments", async () => {
  await fc.assert(
    fc.asyncProperty(scenario, async ({ order, groups }) => {
      const { org, repoName } = await linkedOrg(h.handle, "LIF");
      const queue = [...order];
      for (const size of groups) {
        const batch = queue.splice(0, size);
        if (batch.length === 0) break;
        const sent = await Promise.all(
          batch.map((index) => {
            const delivery = LIFECYCLE[index];
            if (!delivery) throw new Error(`no delivery ${index}`);
            return deliver(h.worker, delivery.event, delivery.build(repoName));
          }),
        );
        for (const result of sent) expect(await settled(h.handle, result.deliveryId)).toBe("processed");
      }
      expect(await finalState(org.id)).toEqual(EXPECTED);
    }),
    {
      numRuns: 6,
      // The natural order one by one, and the reverse order all at once, always run first.
      examples: [
        [{ order: LIFECYCLE.map((_, i) => i), groups: LIFECYCLE.map(() => 1) }],
        [{ order: LIFECYCLE.map((_, i) => LIFECYCLE.length - 1 - i), groups: [LIFECYCLE.length] }],
      ],
    },
  );
}, 60_000);
