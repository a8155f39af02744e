import { describe, expect, test } from "bun:test";
import type { TTandemExport } from "@tandem/contracts";
import { parseImportFile } from "../src/transfer/imports.ts";
import { ImportFileError, MAX_IMPORT_TASKS } from "../src/transfer/plan.ts";

const AT = "2026-05-01T10:00:00.000Z";

/** A small, valid Tandem export: two labels, a category, two tasks with a comment and history. */
function tandemDoc(): TTandemExport {
  return {
    format: "tandem",
    version: 1,
    exportedAt: AT,
    org: { name: "Source", slug: "source", prefix: "SRC" },
    members: [{ id: "usr_1", email: "ann@example.test", name: "Ann" }],
    labels: [
      { id: "lbl_1", name: "Bug", color: "#f87462" },
      { id: "lbl_2", name: "Design", color: "#4bce97" },
    ],
    categories: [{ id: "cat_1", name: "Web", color: "#579dff" }],
    tasks: [1, 2].map((number) => ({
      id: `task_${number}`,
      number,
      key: `SRC-${number}`,
      title: `Task ${number}`,
      description: "",
      status: "todo" as const,
      priority: "none" as const,
      visibility: "private" as const,
      categoryId: "cat_1",
      parentId: null,
      labelIds: ["lbl_1"],
      assigneeIds: [],
      externalAssignees: [],
      rank: number === 1 ? "a0" : "a1",
      createdBy: "usr_1",
      createdAt: AT,
      updatedAt: AT,
    })),
    comments: [
      {
        id: "cmt_1",
        taskId: "task_1",
        authorId: "usr_1",
        externalAuthor: null,
        body: "First",
        createdAt: AT,
        editedAt: null,
      },
    ],
    activity: [
      {
        id: "act_1",
        taskId: "task_1",
        actorId: "usr_1",
        actorType: "user" as const,
        actorKey: null,
        action: "created",
        changes: [{ field: "title", from: null, to: "Task 1" }],
        createdAt: AT,
      },
    ],
    attachments: [],
  };
}

/** The reason a Tandem file changed by `change` is refused (fails the test when it is accepted). */
function refusal(change: (doc: TTandemExport) => void, raw?: (text: string) => string): string {
  const doc = tandemDoc();
  change(doc);
  const text = JSON.stringify(doc);
  try {
    parseImportFile("tandem", raw ? raw(text) : text, undefined);
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFileError);
    return (error as Error).message;
  }
  throw new Error("accepted");
}

const task = (doc: TTandemExport, index = 0) => doc.tasks[index] as TTandemExport["tasks"][number];

describe("a Tandem file the database could not store is refused before anything is written", () => {
  test("the untouched file is accepted", () => {
    expect(parseImportFile("tandem", JSON.stringify(tandemDoc()), undefined).tasks).toHaveLength(2);
  });

  test("NUL and lone surrogates, also when JSON escapes them, anywhere in the file", () => {
    // JSON.stringify writes a lone surrogate as \udXXX: the raw upload is plain ASCII.
    expect(refusal((doc) => Object.assign(task(doc), { title: "a\ud800b" }))).toContain("unpaired surrogates");
    expect(refusal((doc) => Object.assign(task(doc), { description: "x\udc00" }))).toContain("NUL");
    const escapedNul = (text: string) => text.replace('"First"', '"Fi\\u0000rst"');
    expect(refusal(() => {}, escapedNul)).toContain("comments.0.body");
    const inHistory = (text: string) => text.replace('"to":"Task 1"', '"to":{"deep":["\\u0000"]}');
    expect(refusal(() => {}, inHistory)).toContain("activity.0.changes.0.to");
    expect(refusal((doc) => Object.assign(doc.labels[0] ?? {}, { name: "B\u0000ug" }))).toContain("labels.0.name");
  });

  test("history values nested deeper than the scan or the database can follow", () => {
    const deep = `${"[".repeat(200_000)}${"]".repeat(200_000)}`;
    const nested = (text: string) => text.replace('"to":"Task 1"', `"to":${deep}`);
    expect(refusal(() => {}, nested)).toContain("nests values too deeply");
  });

  test("dates that are not dates (or that Postgres cannot hold)", () => {
    expect(refusal((doc) => Object.assign(task(doc), { createdAt: "yesterday" }))).toContain("createdAt");
    expect(refusal((doc) => Object.assign(task(doc), { updatedAt: "+275760-09-13T00:00:00.000Z" }))).toContain(
      "updatedAt",
    );
    expect(refusal((doc) => Object.assign(doc.comments[0] ?? {}, { editedAt: "2026-13-45" }))).toContain("editedAt");
    expect(refusal((doc) => Object.assign(doc.activity[0] ?? {}, { createdAt: "" }))).toContain("history");
  });

  test("task numbers past a Postgres integer, or repeated", () => {
    expect(refusal((doc) => Object.assign(task(doc), { number: 2 ** 31 }))).toContain("2147483647");
    expect(refusal((doc) => Object.assign(task(doc, 1), { number: 1 }))).toBe("Task number 1 appears more than once");
  });

  test("repeated task, label or category ids", () => {
    expect(refusal((doc) => Object.assign(task(doc, 1), { id: "task_1" }))).toBe(
      'Task id "task_1" appears more than once',
    );
    expect(refusal((doc) => Object.assign(doc.labels[1] ?? {}, { id: "lbl_1" }))).toBe(
      'Label id "lbl_1" appears more than once',
    );
    expect(refusal((doc) => doc.categories.push({ id: "cat_1", name: "Other", color: "#000000" }))).toBe(
      'Category id "cat_1" appears more than once',
    );
  });

  test("ranks that are not board positions", () => {
    for (const rank of ["", "a00", "zz", "a0 ", "ä0", `a0${"x".repeat(300)}`])
      expect(refusal((doc) => Object.assign(task(doc), { rank }))).toContain("not a valid board position");
  });

  test("label and category names and colours the API would refuse", () => {
    expect(refusal((doc) => Object.assign(doc.labels[0] ?? {}, { name: "x".repeat(61) }))).toContain("1 to 60");
    expect(refusal((doc) => Object.assign(doc.labels[0] ?? {}, { name: "   " }))).toContain("1 to 60");
    expect(refusal((doc) => Object.assign(doc.categories[0] ?? {}, { color: "red" }))).toContain("hex colour");
    expect(refusal((doc) => Object.assign(doc.labels[0] ?? {}, { color: "#12345g" }))).toContain("hex colour");
  });

  test("titles, descriptions and comments longer than the API takes", () => {
    expect(refusal((doc) => Object.assign(task(doc), { title: "t".repeat(501) }))).toContain("1 to 500");
    expect(refusal((doc) => Object.assign(task(doc), { title: " " }))).toContain("1 to 500");
    expect(refusal((doc) => Object.assign(task(doc), { description: "d".repeat(100_001) }))).toContain("100000");
    expect(refusal((doc) => Object.assign(doc.comments[0] ?? {}, { body: "c".repeat(50_001) }))).toContain("50000");
  });

  test("a message quoting a long value never cuts a surrogate pair in half", () => {
    const id = `${"x".repeat(63)}😀😀`;
    const message = refusal((doc) => doc.labels.push({ id: doc.labels[0]?.id ?? "", name: "N", color: "#000000" }));
    expect(message).toContain("lbl_1");
    const long = refusal((doc) => {
      Object.assign(doc.labels[0] ?? {}, { id });
      doc.labels.push({ id, name: "N", color: "#000000" });
    });
    expect(long).toBe(`Label id "${"x".repeat(63)}" appears more than once`);
  });
});

describe("CSV and Trello files are held to the same limits", () => {
  test("a CSV description past the limit is refused", () => {
    const csv = `Title,Description\nA,"${"d".repeat(100_001)}"\n`;
    expect(() => parseImportFile("csv", csv, { title: "Title", description: "Description" })).toThrow(
      "longer than 100000",
    );
  });

  test("Trello checklist items count toward the task limit", () => {
    const half = Math.ceil(MAX_IMPORT_TASKS / 2) + 1;
    const board = {
      name: "Big",
      lists: [{ id: "l1", name: "To do", pos: 1 }],
      cards: [{ id: "c1", name: "Card", idList: "l1", pos: 1 }],
      checklists: [0, 1].map((n) => ({
        idCard: "c1",
        checkItems: Array.from({ length: half }, (_, i) => ({
          id: `i${n}-${i}`,
          name: `Item ${i}`,
          state: "incomplete",
        })),
      })),
    };
    expect(() => parseImportFile("trello", JSON.stringify(board), undefined)).toThrow(
      `At most ${MAX_IMPORT_TASKS} tasks per import`,
    );
    board.checklists = board.checklists.slice(0, 1);
    expect(parseImportFile("trello", JSON.stringify(board), undefined).tasks).toHaveLength(half + 1);
  });

  test("long Trello and CSV names are shortened without cutting an emoji in half (which would refuse the file)", () => {
    const title = `${"t".repeat(499)}😀 and more`;
    const label = `${"l".repeat(59)}😀`;
    const board = {
      name: "Emoji",
      lists: [{ id: "l1", name: "To do", pos: 1 }],
      cards: [{ id: "c1", name: title, idList: "l1", pos: 1, idLabels: ["x"] }],
      labels: [{ id: "x", name: label, color: "green" }],
    };
    const trello = parseImportFile("trello", JSON.stringify(board), undefined);
    expect(trello.tasks[0]?.title).toBe("t".repeat(499));
    expect(trello.labels[0]?.name).toBe("l".repeat(59));
    const csv = parseImportFile("csv", `Title,Labels\n${title},${label}\n`, { title: "Title", labels: "Labels" });
    expect(csv.tasks[0]?.title).toBe("t".repeat(499));
    expect(csv.labels[0]?.name).toBe("l".repeat(59));
  });

  test("a Trello comment dated nonsense is refused, not written as an invalid date", () => {
    const board = {
      name: "Dates",
      lists: [{ id: "l1", name: "To do", pos: 1 }],
      cards: [{ id: "c1", name: "Card", idList: "l1", pos: 1 }],
      actions: [{ type: "commentCard", date: "not a date", data: { text: "Hi", card: { id: "c1" } } }],
    };
    expect(() => parseImportFile("trello", JSON.stringify(board), undefined)).toThrow("is not a valid date");
  });

  test("an unknown format is refused with a reason, not a crash", () => {
    expect(() => parseImportFile("xml" as "csv", "x", undefined)).toThrow('Unknown import format "xml"');
  });
});
