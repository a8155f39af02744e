import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { csvHeader, planCsv } from "../src/transfer/parse-csv.ts";
import { planTandemExport } from "../src/transfer/parse-tandem.ts";
import { planTrelloBoard } from "../src/transfer/parse-trello.ts";
import { ImportFileError, type PlannedTask, parentsFirst, statusFromWord } from "../src/transfer/plan.ts";

const trello = readFileSync(join(import.meta.dir, "fixtures", "trello-board.json"), "utf8");

describe("Trello board export", () => {
  const plan = planTrelloBoard(trello);
  const byTitle = (title: string) => plan.tasks.find((task) => task.title === title);

  test("open cards of open lists become tasks, their list naming the status; archived ones stay behind", () => {
    expect(plan.tasks.filter((task) => task.parentKey === null).map((task) => [task.title, task.status])).toEqual([
      ["Footer links 404", "todo"],
      ["New hero section", "in_progress"],
      ["Contact form", "todo"],
      ["Analytics", "done"],
    ]);
    expect(byTitle("Old banner")).toBeUndefined();
    expect(byTitle("Dark mode")).toBeUndefined();
    expect(plan.warnings).toContain("2 archived card(s) or card(s) in archived lists were left out");
    expect(plan.warnings).toContain('List(s) "Waiting on QA" imported as To do');
  });

  test("labels keep their names and colours (a nameless one is named by its colour); unknown ids are dropped", () => {
    expect(plan.labels).toEqual([
      { key: "lbl-green", name: "Design", color: "#4bce97" },
      { key: "lbl-red", name: "Bug", color: "#f87462" },
      { key: "lbl-purple", name: "purple", color: "#9f8fef" },
    ]);
    expect(byTitle("New hero section")?.labelKeys).toEqual(["lbl-green", "lbl-purple"]);
    expect(byTitle("Footer links 404")?.labelKeys).toEqual(["lbl-red"]);
  });

  test("checklist items become sub-tasks after their card, done when checked (or when the card is done)", () => {
    const hero = plan.tasks.findIndex((task) => task.key === "card-hero");
    expect(plan.tasks.slice(hero + 1, hero + 3).map((task) => [task.title, task.status, task.parentKey])).toEqual([
      ["Write copy", "done", "card-hero"],
      ["Export images", "todo", "card-hero"],
    ]);
    expect(byTitle("Add tag")).toMatchObject({ status: "done", parentKey: "card-analytics" });
  });

  test("comments come across oldest first with their author's name; other actions do not", () => {
    expect(byTitle("New hero section")?.comments).toEqual([
      {
        body: "Looks good!",
        authorEmail: null,
        authorName: "Ana Lima",
        externalAuthor: { login: "analima", avatarUrl: null },
        createdAt: "2026-11-29T10:00:00.000Z",
        editedAt: null,
      },
      expect.objectContaining({ body: "Second thought: darker blue." }),
    ]);
  });

  test("a file that is not a Trello export is refused with a reason", () => {
    expect(() => planTrelloBoard("{")).toThrow(ImportFileError);
    expect(() => planTrelloBoard(JSON.stringify({ name: "x" }))).toThrow("Not a Trello board export");
  });
});

describe("CSV", () => {
  const file = [
    "\ufeffTitle,Status,Priority,Labels,Assignees,Notes",
    'Ship it,In progress,High,"bug, ui",ana@example.test,"line one',
    'line two, with a comma"',
    "Plan,Backlog,,ui;Docs,,",
    ",Done,,,,no title here",
    "Odd one,Sometime,P9,,,",
    "'=HYPERLINK(1),Done,low,,,",
  ].join("\r\n");

  test("the header row is read for the mapping step (a byte-order mark ignored)", () => {
    expect(csvHeader(file)).toEqual(["Title", "Status", "Priority", "Labels", "Assignees", "Notes"]);
  });

  test("mapped columns fill the tasks: words for statuses and priorities, label lists, assignee e-mails", () => {
    const plan = planCsv(file, {
      title: "Title",
      status: "Status",
      priority: "Priority",
      labels: "Labels",
      assignees: "Assignees",
      description: "Notes",
    });
    expect(plan.tasks.map((task) => [task.title, task.status, task.priority, task.labelKeys])).toEqual([
      ["Ship it", "in_progress", "high", ["bug", "ui"]],
      ["Plan", "backlog", "none", ["ui", "docs"]],
      ["Odd one", "todo", "none", []],
      ["=HYPERLINK(1)", "done", "low", []],
    ]);
    expect(plan.tasks[0]?.description).toBe("line one\r\nline two, with a comma");
    expect(plan.tasks[0]?.assigneeEmails).toEqual(["ana@example.test"]);
    expect(plan.labels.map((label) => label.name)).toEqual(["bug", "ui", "Docs"]);
    expect(plan.warnings).toEqual([
      "Row 4: no title; skipped",
      'Row 5: unknown status "Sometime"; imported as To do',
      'Row 5: unknown priority "P9"; imported as none',
    ]);
  });

  test("a mapping naming a column the file lacks is refused", () => {
    expect(() => planCsv(file, { title: "Name" })).toThrow('The file has no column "Name" (mapped to title)');
  });
});

describe("Tandem export", () => {
  test("anything but a Tandem export is refused, naming what is wrong", () => {
    expect(() => planTandemExport("not json")).toThrow("the file is not JSON");
    expect(() => planTandemExport(JSON.stringify({ format: "tandem", version: 1 }))).toThrow(ImportFileError);
    expect(() => planTandemExport(trello)).toThrow("Not a Tandem export");
  });

  test("a task keeps its state's name, its dates and its estimate; a bad date is refused", () => {
    const task = {
      id: "task_1",
      number: 7,
      key: "ENG-7",
      title: "Dated",
      description: "",
      status: "in_progress",
      priority: "none",
      visibility: "private",
      categoryId: null,
      parentId: null,
      labelIds: [],
      assigneeIds: [],
      externalAssignees: [],
      rank: "a0",
      createdBy: null,
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
      projectId: "prj_1",
      stateId: "wst_review",
      startDate: "2026-02-01",
      dueDate: "2026-02-28",
      estimate: 5,
    };
    const file = (tasks: unknown[]) =>
      JSON.stringify({
        format: "tandem",
        version: 1,
        exportedAt: "2026-03-01T00:00:00.000Z",
        org: { name: "Org", slug: "org", prefix: "ENG" },
        members: [],
        projects: [
          {
            id: "prj_1",
            key: "ENG",
            name: "Org",
            states: [{ id: "wst_review", name: "In review", color: "#000000", category: "started" }],
          },
        ],
        labels: [],
        categories: [],
        tasks,
        comments: [],
        activity: [],
        attachments: [],
      });
    const [planned] = planTandemExport(file([task])).tasks;
    expect([planned?.stateName, planned?.startDate, planned?.dueDate, planned?.estimate]).toEqual([
      "In review",
      "2026-02-01",
      "2026-02-28",
      5,
    ]);
    expect(() => planTandemExport(file([{ ...task, dueDate: "next week" }]))).toThrow(ImportFileError);
  });
});

test("status words people use map to statuses", () => {
  expect(["Done ✅", "in-progress", "To Do", "won't fix", "Icebox", "WIP"].map(statusFromWord)).toEqual([
    "done",
    "in_progress",
    "todo",
    "canceled",
    "backlog",
    "in_progress",
  ]);
  expect(statusFromWord("Waiting on QA")).toBeNull();
});

test("children are placed after their parents; a missing or circular parent is dropped with a warning", () => {
  const task = (key: string, parentKey: string | null) => ({ key, parentKey, title: key }) as PlannedTask;
  const warnings: string[] = [];
  const order = parentsFirst(
    [task("c", "b"), task("b", "a"), task("a", null), task("x", "gone"), task("y", "z"), task("z", "y")],
    warnings,
  );
  expect(order.map((t) => t.key)).toEqual(["a", "b", "c", "x", "z", "y"]);
  expect(order.find((t) => t.key === "x")?.parentKey).toBeNull();
  expect(warnings).toHaveLength(2);
});
