import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type TTandemExport, ZTandemExport } from "@tandem/contracts";
import { CSV_COLUMNS } from "@tandem/domain";
import Papa from "papaparse";
import { type GithubBackend, startGithubBackend } from "./github-backend.ts";
import { startTestWorker, type WorkerHarness } from "./harness.ts";
import { type Admin, transferAdmin } from "./transfer-client.ts";

let api: GithubBackend;
let worker: WorkerHarness;
let admin: Admin;

beforeAll(async () => {
  [api, worker] = await Promise.all([startGithubBackend({ name: "imports" }), startTestWorker()]);
  admin = await transferAdmin(api, "Restorer");
});
afterAll(async () => {
  await Promise.all([worker?.stop(), api?.stop()]);
});

/** An export with the exporting org's ids replaced by what they name (numbers, names, e-mails). */
function withoutIds(doc: TTandemExport) {
  const numberOf = new Map(doc.tasks.map((task) => [task.id, task.number]));
  const labelOf = new Map(doc.labels.map((label) => [label.id, label.name]));
  const categoryOf = new Map(doc.categories.map((category) => [category.id, category.name]));
  const emailOf = new Map(doc.members.map((member) => [member.id, member.email]));
  const projectKey = new Map((doc.projects ?? []).map((project) => [project.id, project.key]));
  const stateName = new Map((doc.projects ?? []).flatMap((project) => project.states.map((s) => [s.id, s.name])));
  const person = (id: string | null) => (id ? (emailOf.get(id) ?? `unknown ${id}`) : null);
  const byTask = <T extends { taskId: number | undefined; createdAt: string }>(a: T, b: T) =>
    (a.taskId ?? 0) - (b.taskId ?? 0) || a.createdAt.localeCompare(b.createdAt);
  return {
    labels: doc.labels.map(({ id: _, ...label }) => label).sort((a, b) => a.name.localeCompare(b.name)),
    categories: doc.categories.map(({ id: _, ...category }) => category),
    projects: (doc.projects ?? []).map(({ id: _, name: __, states, ...project }) => ({
      ...project,
      states: states.map(({ id: _id, ...state }) => state),
    })),
    tasks: doc.tasks.map(({ id: _, ...task }) => ({
      ...task,
      projectId: task.projectId ? projectKey.get(task.projectId) : null,
      stateId: task.stateId ? stateName.get(task.stateId) : null,
      categoryId: task.categoryId ? categoryOf.get(task.categoryId) : null,
      parentId: task.parentId ? numberOf.get(task.parentId) : null,
      labelIds: task.labelIds.map((id) => labelOf.get(id)).sort(),
      assigneeIds: task.assigneeIds.map(person),
      createdBy: person(task.createdBy),
    })),
    comments: doc.comments
      .map(({ id: _, ...comment }) => ({
        ...comment,
        taskId: numberOf.get(comment.taskId),
        authorId: person(comment.authorId),
      }))
      .sort(byTask),
    activity: doc.activity
      .map(({ id: _, ...entry }) => ({
        ...entry,
        taskId: numberOf.get(entry.taskId),
        actorId: person(entry.actorId),
        changes: entry.changes.map((change) => change.field),
      }))
      .sort((a, b) => byTask(a, b) || a.action.localeCompare(b.action)),
  };
}

async function exportJson(orgPath: string): Promise<TTandemExport> {
  const response = await admin.call("GET", `${orgPath}/export?format=json`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toStartWith("application/json");
  expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.json"$/);
  return ZTandemExport.parse(JSON.parse(response.text));
}

test("export → import into an empty org → a second export equals the first (ids aside); numbers and keys kept", async () => {
  const source = await admin.newOrg("Source", "RST");
  const at = source.path;
  const bug = await admin.json("POST", `${at}/labels`, { name: "bug", color: "#ff0000" }, 201);
  await admin.json("POST", `${at}/labels`, { name: "ui" }, 201);
  const backend = await admin.json("POST", `${at}/categories`, { name: "Backend" }, 201);
  const first = await admin.json(
    "POST",
    `${at}/tasks`,
    { title: "Parent", labelIds: [bug.id], categoryId: backend.id, assigneeIds: [admin.userId], description: "# Hi" },
    201,
  );
  const second = await admin.json(
    "POST",
    `${at}/tasks`,
    { title: "Public one", priority: "high", visibility: "public", dueDate: "2026-05-01", estimate: 3 },
    201,
  );
  await admin.json("POST", `${at}/tasks`, { title: "Child", parentId: first.id, status: "backlog" }, 201);
  const gone = await admin.json("POST", `${at}/tasks`, { title: "Deleted" }, 201);
  await admin.json("DELETE", `${at}/tasks/${gone.id}`);
  await admin.json("POST", `${at}/tasks`, { title: "After the gap" }, 201);
  await admin.json("PATCH", `${at}/tasks/${second.id}`, { version: second.version, title: "Public one, renamed" });
  await admin.json("POST", `${at}/tasks/${first.id}/move`, { status: "done", afterId: null, beforeId: null });
  const comment = await admin.json("POST", `${at}/tasks/${first.id}/comments`, { body: "First **comment**" }, 201);
  await admin.json("PATCH", `${at}/tasks/${first.id}/comments/${comment.id}`, { body: "First comment, edited" });
  await admin.json("POST", `${at}/tasks/${first.id}/comments`, { body: "Second" }, 201);

  const before = await exportJson(at);
  expect(before.tasks.map((task) => task.key)).toEqual(["RST-1", "RST-2", "RST-3", "RST-5"]);
  expect(before.comments).toHaveLength(2);

  const target = await admin.newOrg("Target", "RST");
  const started = await admin.upload(target.path, { file: JSON.stringify(before), format: "tandem" });
  expect(started.status).toBe(202);
  expect(started.body).toMatchObject({ status: "queued", total: 4, done: 0, format: "tandem" });
  const done = await admin.finished(target.path, started.body.id);
  expect(done).toMatchObject({ status: "completed", total: 4, done: 4, error: null });

  const after = await exportJson(target.path);
  expect(withoutIds(after)).toEqual(withoutIds(before));
  expect(after.tasks.map((task) => task.key)).toEqual(["RST-1", "RST-2", "RST-3", "RST-5"]);
  // Keys resolve in the restored org, and new tasks continue after the highest number.
  const restored = await admin.json("GET", `${target.path}/tasks/RST-5`);
  expect(restored.title).toBe("After the gap");
  const next = await admin.json("POST", `${target.path}/tasks`, { title: "New" }, 201);
  expect(next.key).toBe("RST-6");
  // Its admins followed it on the event log: queued, progress, completed, and one event per task.
  const log = await admin.json("GET", `${target.path}/events?after=0`);
  const types = log.events.map((event: { type: string }) => event.type);
  expect(types.filter((type: string) => type === "CREATE_TASK")).toHaveLength(5);
  expect(log.events.filter((event: any) => event.type === "UPDATE_IMPORT").at(-1).payload.import.status).toBe(
    "completed",
  );
});

describe("CSV", () => {
  const file = Papa.unparse([
    ["Name", "State", "Prio", "Tags", "Owner", "Body"],
    ["Write the docs", "In progress", "High", "docs, ui", "", "Start with **setup**"],
    ["Fix login", "Done", "urgent", "bug", "", ""],
    ["Someday", "Icebox", "", "", "nobody@elsewhere.test", ""],
  ]);
  const mapping = {
    title: "Name",
    status: "State",
    priority: "Prio",
    labels: "Tags",
    assignees: "Owner",
    description: "Body",
  };

  test("a dry run shows what would be created and writes nothing; the import then creates it", async () => {
    const org = await admin.newOrg("Csv", "CSV");
    const withOwner = file.replace("Fix login,Done,urgent,bug,,", `Fix login,Done,urgent,bug,${admin.email},`);
    const preview = await admin.upload(org.path, {
      file: withOwner,
      filename: "t.csv",
      format: "csv",
      mapping,
      dryRun: true,
    });
    expect(preview.status).toBe(200);
    expect(preview.body.counts).toEqual({ tasks: 3, comments: 0, labels: 3, categories: 0, activity: 3 });
    expect(preview.body.sample[0]).toEqual({
      title: "Write the docs",
      status: "in_progress",
      priority: "high",
      labels: ["docs", "ui"],
    });
    expect(preview.body.warnings).toEqual([
      "1 assignee(s) are not members here and are left out: nobody@elsewhere.test",
    ]);
    expect((await admin.json("GET", `${org.path}/tasks`)).tasks).toEqual([]);

    const started = await admin.upload(org.path, { file: withOwner, filename: "t.csv", format: "csv", mapping });
    expect(started.status).toBe(202);
    expect(await admin.finished(org.path, started.body.id)).toMatchObject({ status: "completed", done: 3 });
    const labels = new Map((await admin.json("GET", `${org.path}/labels`)).map((l: any) => [l.id, l.name]));
    const tasks = (await admin.json("GET", `${org.path}/tasks`)).tasks;
    const summary = tasks
      .map((t: any) => [
        t.key,
        t.title,
        t.status,
        t.priority,
        t.labelIds.map((id: string) => labels.get(id)).sort(),
        t.assigneeIds,
      ])
      .sort((a: string[], b: string[]) => (a[0] ?? "").localeCompare(b[0] ?? ""));
    expect(summary).toEqual([
      ["CSV-1", "Write the docs", "in_progress", "high", ["docs", "ui"], []],
      ["CSV-2", "Fix login", "done", "urgent", ["bug"], [admin.userId]],
      ["CSV-3", "Someday", "backlog", "none", [], []],
    ]);
  });

  test("the CSV export lists tasks under its own columns, and imports back", async () => {
    const org = await admin.newOrg("Csvout", "OUT");
    const started = await admin.upload(org.path, { file, filename: "t.csv", format: "csv", mapping });
    await admin.finished(org.path, started.body.id);
    const response = await admin.call("GET", `${org.path}/export?format=csv`);
    expect(response.headers.get("content-type")).toStartWith("text/csv");
    const rows = Papa.parse<string[]>(response.text.trim()).data;
    expect(rows[0]).toEqual(CSV_COLUMNS);
    expect(rows.slice(1).map((row) => [row[0], row[1], row[2]])).toEqual([
      ["OUT-1", "Write the docs", "in_progress"],
      ["OUT-2", "Fix login", "done"],
      ["OUT-3", "Someday", "backlog"],
    ]);
    const again = await admin.newOrg("Csvback", "BCK");
    const back = await admin.upload(again.path, {
      file: response.text,
      filename: "export.csv",
      format: "csv",
      mapping: { title: "Title", status: "Status", priority: "Priority", labels: "Labels", description: "Description" },
    });
    expect(await admin.finished(again.path, back.body.id)).toMatchObject({ status: "completed", done: 3 });
    const titles = (await admin.json("GET", `${again.path}/tasks?status=done`)).tasks.map((t: any) => t.title);
    expect(titles).toEqual(["Fix login"]);
  });
});

test("a Trello board: cards, their lists' statuses, labels, checklists as sub-tasks and comments", async () => {
  const org = await admin.newOrg("Trello", "TRL");
  const board = readFileSync(join(import.meta.dir, "../../../packages/domain/test/fixtures/trello-board.json"), "utf8");
  const started = await admin.upload(org.path, { file: board, filename: "board.json", format: "trello" });
  expect(started.status).toBe(202);
  const done = await admin.finished(org.path, started.body.id);
  expect(done).toMatchObject({ status: "completed", total: 7, done: 7 });
  expect(done.warnings).toContain("2 archived card(s) or card(s) in archived lists were left out");
  const tasks = (await admin.json("GET", `${org.path}/tasks`)).tasks as any[];
  const byTitle = new Map(tasks.map((task) => [task.title, task]));
  const hero = byTitle.get("New hero section");
  expect(hero.status).toBe("in_progress");
  expect(byTitle.get("Write copy")).toMatchObject({ parentId: hero.id, status: "done" });
  expect(byTitle.get("Export images")).toMatchObject({ parentId: hero.id, status: "todo" });
  const labels = (await admin.json("GET", `${org.path}/labels`)).map((label: any) => label.name).sort();
  expect(labels).toEqual(["Bug", "Design", "purple"]);
  const comments = await admin.json("GET", `${org.path}/tasks/${hero.id}/comments`);
  expect(comments.map((c: any) => [c.body, c.authorId, c.externalAuthor?.login])).toEqual([
    ["Looks good!", null, "analima"],
    ["Second thought: darker blue.", null, "analima"],
  ]);
});

test("refused with a reason: unknown format, missing or wrong mapping, unreadable files, other orgs' imports", async () => {
  const org = await admin.newOrg("Refuse", "REF");
  const cases = [
    [{ file: "x", format: "xml" }, "format"],
    [{ file: "Title\nA\n", format: "csv" }, "file"],
    [{ file: "Title\nA\n", format: "csv", mapping: { title: "Name" } }, "file"],
    [{ file: "not json", format: "tandem" }, "file"],
    [{ file: "{}", format: "trello" }, "file"],
  ] as const;
  for (const [fields, field] of cases) {
    const response = await admin.upload(org.path, fields);
    expect([response.status, response.body.error?.code, response.body.error?.field]).toEqual([
      400,
      "BAD_REQUEST",
      field,
    ]);
  }
  const bad = await admin.upload(org.path, { file: "Title\nA\n", format: "csv", mapping: "{" });
  expect(bad.status).toBe(400);
  expect((await admin.json("GET", `${org.path}/imports`)).length).toBe(0);

  const started = await admin.upload(org.path, { file: "Title\nA\n", format: "csv", mapping: { title: "Title" } });
  const stranger = await transferAdmin(api, "Stranger");
  const own = await stranger.newOrg("Own", "OWN");
  expect((await stranger.call("GET", `${org.path}/imports/${started.body.id}`)).status).toBe(404);
  expect((await stranger.call("GET", `${own.path}/imports/${started.body.id}`)).status).toBe(404);
  expect((await stranger.call("GET", `${org.path}/export`)).status).toBe(404);
});
