/**
 * Migration 0016 (projects) on a database at the schema before it, holding tasks, comments,
 * activity and events: every old key resolves to the same task through the API, and the event
 * log continues without a gap (the next mutation gets last_seq + 1).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TComment, TTask } from "@tandem/contracts";
import { connect, type DbHandle, runMigrations } from "@tandem/database";
import { addTestMember } from "@tandem/domain/testing";
import { sql } from "drizzle-orm";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { startTestBackend, type TestBackend } from "./harness.ts";

const MIGRATIONS = fileURLToPath(new URL("../../../packages/database/drizzle", import.meta.url));
const base = process.env.DATABASE_URL ?? "";
const name = `tandem_mig_${process.pid}_${Date.now().toString(36)}`;
const url = (() => {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
})();
const admin = connect(base, { max: 1, applicationName: "tandem-migration-test" });
let backend: TestBackend | undefined;
let folder = "";

/** The migrations folder as it was before 0016: the journal cut before its entry. */
function foldersBefore(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), "tandem-mig-"));
  cpSync(MIGRATIONS, dir, { recursive: true });
  const journalPath = join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((entry) => entry.tag === tag);
  if (at < 0) throw new Error(`no migration ${tag}`);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

beforeAll(async () => {
  await admin.sql.unsafe(`create database ${name}`);
  folder = foldersBefore("0016_projects");
  const old = connect(url, { max: 1, applicationName: "tandem-migration-test" });
  try {
    await migrate(old.db, { migrationsFolder: folder });
    await seedOldSchema(old.sql);
  } finally {
    await old.close();
  }
});

afterAll(async () => {
  await backend?.stop();
  await admin.sql.unsafe(`drop database if exists ${name} with (force)`);
  await admin.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** Two orgs at the old schema: ENG (tasks 1, 2, 42, one deleted; a comment; activity; 5 events) and OPS. */
async function seedOldSchema(db: DbHandle["sql"]) {
  await db`insert into "user" (id, name, email) values ('usr_old', 'Old', 'old@example.test')`;
  await db`insert into organization (id, name, slug, prefix, public_board) values
    ('org_eng', 'Engineering', 'eng-old', 'ENG', true), ('org_ops', 'Operations', 'ops-old', 'OPS', false)`;
  await db`insert into org_counter (org_id, last_task_number, last_event_seq) values
    ('org_eng', 42, 5), ('org_ops', 3, 0)`;
  await db`insert into task (id, org_id, number, title, status, rank, deleted_at) values
    ('task_e1', 'org_eng', 1, 'First', 'todo', 'a0', null),
    ('task_e2', 'org_eng', 2, 'Second', 'done', 'a1', null),
    ('task_e3', 'org_eng', 3, 'Gone', 'backlog', 'a2', now()),
    ('task_e42', 'org_eng', 42, 'Answer', 'in_progress', 'a3', null),
    ('task_o1', 'org_ops', 1, 'Ops first', 'canceled', 'a0', null)`;
  await db`insert into task_comment (id, org_id, task_id, body) values ('cmt_1', 'org_eng', 'task_e42', 'Still here')`;
  await db`insert into task_activity (id, org_id, task_id, actor_type, action, changes) values
    ('act_1', 'org_eng', 'task_e42', 'user', 'created', '[]'::jsonb)`;
  for (let seq = 1; seq <= 5; seq++)
    await db`insert into event (org_id, seq, type, visibility, payload)
      values ('org_eng', ${seq}, 'UPDATE_TASK', 'members', ${JSON.stringify({ task: { id: "task_e42" } })}::jsonb)`;
}

test("after 0016 every old key resolves to the same task and the event log continues at last_seq + 1", async () => {
  await runMigrations(url);
  backend = await startTestBackend({ databaseUrl: url });
  const owner = await backend.signUp("Owner after migration");
  await addTestMember(backend.db, { orgId: "org_eng", userId: owner.id, permissions: ["admin.administrator"] });
  const get = async <T>(path: string, status = 200) => {
    const result = await owner.raw("GET", `/api/orgs/org_eng${path}`);
    expect(result.status).toBe(status);
    return result.body as T;
  };
  for (const [key, id, status] of [
    ["ENG-1", "task_e1", "todo"],
    ["ENG-2", "task_e2", "done"],
    ["ENG-42", "task_e42", "in_progress"],
  ] as const) {
    const task = await get<TTask>(`/tasks/${key}`);
    expect([task.id, task.key, task.status]).toEqual([id, key, status]);
  }
  await get(`/tasks/ENG-3`, 404);
  await get(`/tasks/OPS-1`, 404);
  const comments = await get<TComment[]>("/tasks/ENG-42/comments");
  expect(comments.map((c) => c.body)).toEqual(["Still here"]);
  const activity = await get<{ action: string }[]>("/tasks/ENG-42/activity");
  expect(activity.map((a) => a.action)).toEqual(["created"]);

  // One project per org, keyed by the prefix, with the five states; the public board moved along.
  const projects = await get<{ key: string; publicBoard: boolean; states: { category: string }[] }[]>("/projects");
  expect(projects.map((p) => [p.key, p.publicBoard, p.states.map((s) => s.category)])).toEqual([
    ["ENG", true, ["backlog", "unstarted", "started", "completed", "canceled"]],
  ]);
  const e42 = await get<TTask>("/tasks/ENG-42");
  const started = (projects[0]?.states ?? []) as unknown as { id: string; category: string }[];
  expect(e42.stateId).toBe(started.find((s) => s.category === "started")?.id ?? "");

  // The next task continues the old counter; the next event continues the old log.
  const created = await owner.raw("POST", "/api/orgs/org_eng/tasks", { title: "After" });
  expect(created.status).toBe(201);
  expect((created.body as TTask).key).toBe("ENG-43");
  expect(created.headers.get("x-event-seq")).toBe("6");
  const edited = await owner.raw("PATCH", "/api/orgs/org_eng/tasks/ENG-1", { version: 1, title: "First, edited" });
  expect(edited.status).toBe(200);
  expect(edited.headers.get("x-event-seq")).toBe("7");
  const seqs = await backend.db.execute<{ seq: number }>(
    sql`select seq from event where org_id = 'org_eng' order by seq`,
  );
  expect(seqs.map((row) => Number(row.seq))).toEqual([1, 2, 3, 4, 5, 6, 7]);
});
