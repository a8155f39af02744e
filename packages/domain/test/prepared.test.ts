/**
 * The hot statements run as server-side prepared statements (issue 16.8): on a one-connection
 * pool, after the verbs ran, `pg_prepared_statements` lists each one once, however often it ran.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { connect, type DbHandle, getMemberOrg, listEvents, runMigrations, schema } from "@tandem/database";
import { createTask, getTask, listTasks, updateTask } from "../src/index.ts";
import { createTestOrg, systemCtx, uniqueSuffix } from "../src/testing/index.ts";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set: run the suite with `bun run test` from the repository root");
let handle: DbHandle;

beforeAll(async () => {
  await runMigrations(url);
  handle = connect(url, { max: 1, applicationName: "tandem-prepared-test" });
});
afterAll(() => handle.close());

async function preparedStatements(): Promise<string[]> {
  const rows = await handle.sql<{ statement: string }[]>`select statement from pg_prepared_statements`;
  return rows.map((row) => row.statement);
}

test("task create, patch, read, list and the event-log read are prepared once per connection", async () => {
  const ownerId = `user_${uniqueSuffix()}`;
  await handle.db
    .insert(schema.user)
    .values({ id: ownerId, name: "Prep", email: `prep-${uniqueSuffix()}@example.test` });
  const org = await createTestOrg(handle.db, { ownerId });
  const ctx = await systemCtx(handle.db, org.id);
  for (let i = 0; i < 3; i++) {
    const task = await createTask({ ctx, input: { title: `Prepared ${i}` } });
    await updateTask({ ctx, input: { taskId: task.id, patch: { version: task.version, title: `Patched ${i}` } } });
    await getTask({ ctx, input: { taskId: task.key } });
  }
  await listTasks({ ctx, input: { limit: 50 } });
  await listEvents(handle.db, { orgId: org.id, after: 0, limit: 100, visibilities: ["members", "public"] });
  await getMemberOrg(handle.db, { orgId: org.id, userId: ownerId });

  const statements = await preparedStatements();
  const matching = (pattern: RegExp) => statements.filter((text) => pattern.test(text));
  expect(matching(/insert into task \(/)).toHaveLength(1);
  expect(matching(/^update "task" set/)).toHaveLength(1);
  expect(matching(/for no key update$/)).toHaveLength(1);
  expect(matching(/with side as \(insert into task_activity/)).toHaveLength(1);
  // A key (`ENG-1`) resolves through its project's key (or a key it had before a rename).
  expect(
    matching(/from "task" where .*any\(former_keys\).*\) and "task"\."number" = \$\d+/).length,
  ).toBeGreaterThanOrEqual(1);
  expect(matching(/from "task" where .* order by "task"\."project_id"/)).toHaveLength(1);
  expect(matching(/from "event" where/)).toHaveLength(1);
  expect(matching(/from "member" inner join "organization"/)).toHaveLength(1);
});
