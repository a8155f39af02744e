/**
 * Issue 10.14: signed deliveries with text Postgres cannot store, or longer than the API stores,
 * are stored cleaned and capped like the API's own input, never answered with a 500.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { schema } from "@tandem/database";
import { eq } from "drizzle-orm";
import { deliver, example, linkedOrg, settled, startTestWorker, type WorkerHarness } from "./harness.ts";

let h: WorkerHarness;
beforeAll(async () => {
  h = await startTestWorker();
});
afterAll(() => h.stop());

let nextNumber = 1;
function issue(repoName: string, patch: Record<string, unknown>) {
  const payload = example("issues", "opened");
  payload.repository.full_name = repoName;
  Object.assign(payload.issue, { number: nextNumber++, state: "open", ...patch });
  return payload;
}
const tasksOf = (orgId: string) => h.handle.db.select().from(schema.task).where(eq(schema.task.orgId, orgId));

test("NUL bytes and lone surrogates in a signed payload are stripped, not a 500", async () => {
  const { org, repoName } = await linkedOrg(h.handle, "NUL");
  const payload = issue(repoName, {
    title: "Null\u0000byte \ud800title",
    body: "Body with \u0000 NUL and a lone \udc00 surrogate; a pair stays: \ud83d\ude00",
    labels: [{ name: "bu\u0000g", color: "d73a4a" }],
  });
  payload.action = "open\u0000ed";
  const sent = await deliver(h.worker, "issues", payload);
  expect(sent.status).toBe(202);
  expect(await settled(h.handle, sent.deliveryId)).toBe("processed");
  const [task] = await tasksOf(org.id);
  expect(task?.title).toBe("Nullbyte title");
  expect(task?.description).toBe("Body with  NUL and a lone  surrogate; a pair stays: \ud83d\ude00");
  const labels = await h.handle.db.select().from(schema.label).where(eq(schema.label.orgId, org.id));
  expect(labels.map((label) => label.name)).toEqual(["bug"]);
});

test("issue bodies over the API's 100,000 characters are truncated with a marker; comments at 50,000", async () => {
  const { org, repoName } = await linkedOrg(h.handle, "BIG");
  const huge = issue(repoName, { title: "Huge", body: "x".repeat(3 * 1024 * 1024) });
  const sent = await deliver(h.worker, "issues", huge);
  expect(sent.status).toBe(202);
  expect(await settled(h.handle, sent.deliveryId)).toBe("processed");
  const [task] = await tasksOf(org.id);
  expect(task?.description.length).toBe(100_000);
  expect(task?.description).toEndWith("(truncated: the GitHub text is longer than 100,000 characters)");

  const comment = example("issue_comment", "created");
  comment.repository.full_name = repoName;
  Object.assign(comment.issue, { number: huge.issue.number, title: "Huge", state: "open", pull_request: undefined });
  Object.assign(comment.comment, { id: 880_001, body: "y".repeat(60_000) });
  await settled(h.handle, (await deliver(h.worker, "issue_comment", comment)).deliveryId);
  const [row] = await h.handle.db.select().from(schema.taskComment).where(eq(schema.taskComment.orgId, org.id));
  expect(row?.body.length).toBe(50_000);
  expect(row?.body).toEndWith("(truncated: the GitHub text is longer than 50,000 characters)");
});

test("a signed body that is not a JSON object, or a malformed delivery id, gets 400 in the error shape", async () => {
  const { hook } = await linkedOrg(h.handle, "BAD");
  for (const body of ["[1,2]", "null", '"text"', "{not json"]) {
    const sent = await deliver(h.worker, "issues", null, { to: hook, body });
    expect(sent.status).toBe(400);
    expect(sent.body.error).toMatchObject({ code: "BAD_REQUEST", field: "body", requestId: expect.any(String) });
  }
  const badId = await deliver(h.worker, "ping", {}, { to: hook, deliveryId: "../../etc" });
  expect(badId.status).toBe(400);
  expect(badId.body.error.field).toBe("x-github-delivery");
});
