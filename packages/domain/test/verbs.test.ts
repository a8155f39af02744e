/**
 * Service-level tests: domain verbs called directly with a Ctx against the real database
 * (DATABASE_URL), no HTTP in between. Each test makes its own users and org.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect, type DbHandle, lastEventSeq, runMigrations, schema } from "@tandem/database";
import { createTask, DomainError, listTasks, updateTask } from "../src/index.ts";
import { addTestMember, createTestOrg, systemCtx, uniqueSuffix } from "../src/testing/index.ts";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set: run the suite with `bun run test` from the repository root");
let handle: DbHandle;

beforeAll(async () => {
  await runMigrations(url);
  handle = connect(url, { applicationName: "tandem-domain-test" });
});
afterAll(() => handle.close());

async function user(): Promise<string> {
  const id = `user_${uniqueSuffix()}`;
  await handle.db
    .insert(schema.user)
    .values({ id, name: "Verb tester", email: `verbs-${uniqueSuffix()}@example.test` });
  return id;
}

/** An org and a member of it holding exactly `permissions`, as the verbs see them. */
async function memberCtx(permissions: string[]) {
  const org = await createTestOrg(handle.db, { ownerId: await user() });
  const userId = await user();
  await addTestMember(handle.db, { orgId: org.id, userId, permissions });
  const ctx = {
    ...(await systemCtx(handle.db, org.id)),
    actor: { type: "user" as const, userId, permissions: new Set(permissions) },
  };
  return { org, userId, ctx };
}

async function refusal(work: Promise<unknown>): Promise<DomainError | null> {
  try {
    await work;
    return null;
  } catch (error) {
    return error instanceof DomainError ? error : null;
  }
}

describe("task verbs", () => {
  test("create appends one event and numbers tasks in order; the task carries its creator", async () => {
    const { org, userId, ctx } = await memberCtx(["tasks.create"]);
    const before = await lastEventSeq(handle.db, { orgId: org.id });
    const first = await createTask({ ctx, input: { title: "First" } });
    const second = await createTask({ ctx, input: { title: "Second" } });
    expect([first.number, second.number]).toEqual([1, 2]);
    expect(second.key).toBe(`${org.prefix}-2`);
    expect(first.createdBy).toBe(userId);
    expect(await lastEventSeq(handle.db, { orgId: org.id })).toBe(before + 2);
  });

  test("a member without the permission is refused, and nothing is written", async () => {
    const { org, ctx } = await memberCtx([]);
    const before = await lastEventSeq(handle.db, { orgId: org.id });
    expect((await refusal(createTask({ ctx, input: { title: "Not mine to make" } })))?.kind).toBe("FORBIDDEN");
    expect(await lastEventSeq(handle.db, { orgId: org.id })).toBe(before);
  });

  test("a stale version is a CONFLICT carrying the current task, and appends no event", async () => {
    const { org, ctx } = await memberCtx(["tasks.create", "tasks.edit"]);
    const task = await createTask({ ctx, input: { title: "Edited twice" } });
    const edited = await updateTask({
      ctx,
      input: { taskId: task.id, patch: { title: "Once", version: task.version } },
    });
    const before = await lastEventSeq(handle.db, { orgId: org.id });
    const conflict = await refusal(
      updateTask({ ctx, input: { taskId: task.id, patch: { title: "Stale", version: task.version } } }),
    );
    expect(conflict?.kind).toBe("CONFLICT");
    expect(conflict?.details?.current).toMatchObject({ id: task.id, title: "Once", version: edited.version });
    expect(await lastEventSeq(handle.db, { orgId: org.id })).toBe(before);
  });

  test("another org's task is NOT_FOUND, whatever the actor's permissions", async () => {
    const mine = await memberCtx(["tasks.create", "tasks.edit"]);
    const theirs = await memberCtx(["tasks.create"]);
    const task = await createTask({ ctx: theirs.ctx, input: { title: "Theirs" } });
    const refused = await refusal(
      updateTask({ ctx: mine.ctx, input: { taskId: task.id, patch: { title: "Mine now", version: task.version } } }),
    );
    expect(refused?.kind).toBe("NOT_FOUND");
  });

  test("listTasks pages through every task exactly once with its cursor", async () => {
    const { ctx } = await memberCtx(["tasks.create"]);
    for (let i = 0; i < 7; i++) await createTask({ ctx, input: { title: `Paged ${i}` } });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await listTasks({ ctx, input: { limit: 3, ...(cursor ? { cursor } : {}) } });
      seen.push(...result.tasks.map((task) => task.title));
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    expect(seen.toSorted()).toEqual(Array.from({ length: 7 }, (_, i) => `Paged ${i}`));
  });
});
