/** Imports of other tools' files (CSV with a mapping, a Trello board) and the CSV export. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CSV_COLUMNS } from "@tandem/domain";
import Papa from "papaparse";
import { type GithubBackend, startGithubBackend } from "./github-backend.ts";
import { startTestWorker, type WorkerHarness } from "./harness.ts";
import { type Admin, transferAdmin } from "./transfer-client.ts";

let api: GithubBackend;
let worker: WorkerHarness;
let admin: Admin;

beforeAll(async () => {
  [api, worker] = await Promise.all([startGithubBackend({ name: "import-formats" }), startTestWorker()]);
  admin = await transferAdmin(api, "Importer");
});
afterAll(async () => {
  await Promise.all([worker?.stop(), api?.stop()]);
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

  test("a CSV export of one project (by key or id) holds its tasks only; another org's project is a 404", async () => {
    const org = await admin.newOrg("Csvproj", "ONE");
    const two = await admin.json("POST", `${org.path}/projects`, { key: "TWO", name: "Two" }, 201);
    await admin.json("POST", `${org.path}/tasks`, { title: "In one" }, 201);
    await admin.json("POST", `${org.path}/tasks`, { title: "In two", projectId: "TWO", dueDate: "2026-03-04" }, 201);
    const rowsOf = async (query: string) => {
      const response = await admin.call("GET", `${org.path}/export?format=csv${query}`);
      expect(response.status).toBe(200);
      const [header, ...rows] = Papa.parse<string[]>(response.text.trim()).data;
      const at = (name: string) => (header ?? []).indexOf(name);
      return rows.map((row) => [row[at("Key")], row[at("State")], row[at("Due date")]]);
    };
    expect(await rowsOf("&project=TWO")).toEqual([["TWO-1", "Todo", "2026-03-04"]]);
    expect(await rowsOf(`&project=${two.id}`)).toEqual([["TWO-1", "Todo", "2026-03-04"]]);
    expect((await rowsOf("")).map((row) => row[0]).sort()).toEqual(["ONE-1", "TWO-1"]);
    const other = await admin.newOrg("Csvother", "OTH");
    const theirs = await admin.json("POST", `${other.path}/projects`, { key: "SEC", name: "Secret" }, 201);
    const foreign = await admin.call("GET", `${org.path}/export?format=csv&project=${theirs.id}`);
    expect(foreign.status).toBe(404);
    expect(JSON.parse(foreign.text).error.code).toBe("NOT_FOUND");
    const json = await admin.call("GET", `${org.path}/export?format=json&project=TWO`);
    expect(json.status).toBe(400);
    expect(JSON.parse(json.text).error.field).toBe("project");
  });
});

test("a Trello board into a chosen project: lists become its states, cards tasks, labels, checklists sub-tasks, comments", async () => {
  const org = await admin.newOrg("Trello", "TRL");
  await admin.json("POST", `${org.path}/projects`, { key: "WEB", name: "Website" }, 201);
  const board = readFileSync(join(import.meta.dir, "../../../packages/domain/test/fixtures/trello-board.json"), "utf8");
  const started = await admin.upload(org.path, {
    file: board,
    filename: "board.json",
    format: "trello",
    project: "WEB",
  });
  expect(started.status).toBe(202);
  const web = await admin.json("GET", `${org.path}/projects/WEB`);
  expect(started.body.projectId).toBe(web.id);
  const done = await admin.finished(org.path, started.body.id);
  expect(done).toMatchObject({ status: "completed", total: 7, done: 7 });
  expect(done.warnings).toContain("2 archived card(s) or card(s) in archived lists were left out");
  const tasks = (await admin.json("GET", `${org.path}/tasks`)).tasks as any[];
  expect(new Set(tasks.map((task) => task.key.split("-")[0]))).toEqual(new Set(["WEB"]));
  // "To Do" and "Done ✅" are the project's Todo and Done; "Doing" and "Waiting on QA" are new
  // states, each placed with its category; the archived list is not.
  const states = (await admin.json("GET", `${org.path}/projects/WEB/states`)) as any[];
  expect(states.map((state) => [state.name, state.category])).toEqual([
    ["Backlog", "backlog"],
    ["Todo", "unstarted"],
    ["Waiting on QA", "unstarted"],
    ["In progress", "started"],
    ["Doing", "started"],
    ["Done", "completed"],
    ["Canceled", "canceled"],
  ]);
  const stateOf = new Map(states.map((state) => [state.id, state.name]));
  const byTitle = new Map(tasks.map((task) => [task.title, task]));
  const hero = byTitle.get("New hero section");
  expect(hero.status).toBe("in_progress");
  expect(stateOf.get(hero.stateId)).toBe("Doing");
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
