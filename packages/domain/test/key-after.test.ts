/**
 * Task create takes its rank inside its insert (issue 16.10): `tandem_key_after` (SQL) matches
 * fractional-indexing's key after, and create issues no separate rank read.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { connect, type DbHandle, listEvents, runMigrations, schema } from "@tandem/database";
import { rankAfter, rankBetween } from "@tandem/util";
import { createTask } from "../src/index.ts";
import { createTestOrg, systemCtx, uniqueSuffix } from "../src/testing/index.ts";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set: run the suite with `bun run test` from the repository root");
let handle: DbHandle;

beforeAll(async () => {
  await runMigrations(url);
  handle = connect(url, { max: 1, applicationName: "tandem-key-after-test" });
});
afterAll(() => handle.close());

const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function randomKey(): string {
  const pick = (from: string) => from[Math.floor(Math.random() * from.length)] ?? "0";
  const head = pick("ABCDYZabcdyz");
  const code = head.charCodeAt(0);
  const length = code >= 97 ? code - 97 + 2 : 90 - code + 2;
  // Often all-"z" digits, to exercise the carries.
  const allZ = Math.random() < 0.4;
  let key = head;
  for (let i = 1; i < length; i++) key += allZ ? "z" : pick(DIGITS);
  const frac = Array.from({ length: Math.floor(Math.random() * 4) }, () => pick(Math.random() < 0.5 ? "z" : DIGITS));
  return key + frac.join("").replace(/0+$/, "");
}

test("tandem_key_after is fractional-indexing's key after, carries and largest integer included", async () => {
  const keys = [
    "a0",
    "a1",
    "az",
    "aZ",
    "b00",
    "bzz",
    "Zz",
    "Z0",
    "Yzz",
    "yzzzzzzzzzzzzzzzzzzzzzzzzz",
    `z${"z".repeat(26)}`,
    `z${"z".repeat(26)}zzV`,
    ...Array.from({ length: 300 }, randomKey),
  ].filter((key) => key !== `A${"0".repeat(26)}`);
  const rows = await handle.sql<{ key: string; after: string }[]>`
    select key, tandem_key_after(key) as after from unnest(${keys}::text[]) as key`;
  for (const row of rows)
    expect({ key: row.key, after: row.after }).toEqual({ key: row.key, after: rankBetween(row.key, null) });
  const [first] = await handle.sql<{ after: string }[]>`select tandem_key_after(null) as after`;
  expect(first?.after).toBe(rankBetween(null, null));
  expect(rankAfter(null).startsWith("a0")).toBe(true);
});

test("create takes its rank in the insert: ranks ascend, the event carries it, no separate rank read", async () => {
  const ownerId = `user_${uniqueSuffix()}`;
  await handle.db
    .insert(schema.user)
    .values({ id: ownerId, name: "Ranks", email: `ranks-${uniqueSuffix()}@example.test` });
  const org = await createTestOrg(handle.db, { ownerId });
  const ctx = await systemCtx(handle.db, org.id);
  const tasks = [];
  for (let i = 0; i < 4; i++) tasks.push(await createTask({ ctx, input: { title: `Ranked ${i}` } }));
  const ranks = tasks.map((task) => task.rank);
  expect([...ranks].sort()).toEqual(ranks);
  expect(new Set(ranks).size).toBe(4);
  const events = await listEvents(handle.db, { orgId: org.id, after: 0, limit: 100, visibilities: ["members"] });
  const created = events.flatMap((event) => (event.type === "CREATE_TASK" ? [event.payload.task.rank] : []));
  expect(created).toEqual(ranks);
  const statements = await handle.sql<{ statement: string }[]>`select statement from pg_prepared_statements`;
  expect(statements.filter((row) => /order by "task"\."rank" desc/.test(row.statement))).toEqual([]);
});
