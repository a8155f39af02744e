/** The domain's pure helpers, without a database: page cursors and a pull request's closing references. */
import { describe, expect, test } from "bun:test";
import { DomainError } from "../src/errors.ts";
import { closingReferences } from "../src/github/pull-requests.ts";
import { decodeCursor, encodeCursor } from "../src/tasks/read.ts";
import { wantsEvent } from "../src/webhooks/payload.ts";

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

function refusal(cursor: string): DomainError | null {
  try {
    decodeCursor(cursor);
    return null;
  } catch (error) {
    return error instanceof DomainError ? error : null;
  }
}

describe("decodeCursor", () => {
  test("reads back what encodeCursor wrote", () => {
    const task = {
      projectId: "prj_1",
      status: "in_progress" as const,
      stateId: "wst_1",
      rank: "a0V3k",
      id: "task_01HZX",
    };
    expect(decodeCursor(encodeCursor(task))).toEqual(task);
  });

  test("a malformed cursor is a validation error on the cursor field, never a crash", () => {
    const malformed = [
      "",
      "not base64 at all!",
      Buffer.from("{not json").toString("base64url"),
      cursorOf({ status: "todo", rank: "a0", id: "t" }),
      cursorOf(["todo", "a0"]),
      cursorOf(["todo", "a0", "t", "extra"]),
      cursorOf(["archived", "a0", "t"]),
      cursorOf(["todo", 5, "t"]),
      cursorOf(["todo", "a".repeat(201), "t"]),
      cursorOf(["todo", "a0", "t".repeat(65)]),
      cursorOf(null),
    ];
    for (const cursor of malformed) {
      const error = refusal(cursor);
      expect(error?.kind).toBe("VALIDATION");
      expect(error?.details).toMatchObject({ field: "cursor" });
    }
  });
});

describe("closingReferences", () => {
  test("finds task keys and issue numbers after the closing keywords GitHub knows", () => {
    const body = "Fixes ENG-12 and closes #7.\nResolved: OPS-3; fixed #8, Close ENG-13, resolves #9";
    expect(closingReferences(body)).toEqual(["ENG-12", "#7", "OPS-3", "#8", "ENG-13", "#9"]);
  });

  test("ignores mentions without a closing keyword, and keywords inside other words", () => {
    expect(closingReferences("Relates to ENG-12, see #7. Prefixes ENG-1, unfixed #2, enclosed #3")).toEqual([]);
    expect(closingReferences("")).toEqual([]);
  });
});

describe("webhook project filter", () => {
  const event = (type: string, payload: unknown) =>
    ({ type, payload, visibility: "members", seq: 1, orgId: "org_1" }) as unknown as Parameters<typeof wantsEvent>[1];
  const endpoint = { events: ["*"], projectId: "prj_a" };

  test("matches tasks, projects and states of its project; events of no project still go", () => {
    expect(wantsEvent(endpoint, event("UPDATE_TASK", { task: { projectId: "prj_a" } }))).toBe(true);
    expect(wantsEvent(endpoint, event("UPDATE_TASK", { task: { projectId: "prj_b" } }))).toBe(false);
    expect(wantsEvent(endpoint, event("UPDATE_PROJECT", { project: { id: "prj_b" } }))).toBe(false);
    expect(wantsEvent(endpoint, event("CREATE_STATE", { state: { projectId: "prj_b" } }))).toBe(false);
    expect(wantsEvent(endpoint, event("CREATE_STATE", { state: { projectId: "prj_a" } }))).toBe(true);
    expect(wantsEvent(endpoint, event("CREATE_LABEL", { label: { id: "lbl_1" } }))).toBe(true);
  });
});
