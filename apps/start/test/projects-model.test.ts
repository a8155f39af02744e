/** Due badges, swimlanes, list sorting and state filters: the project board's pure parts. */
import { describe, expect, test } from "bun:test";
import type { TMember, TTask } from "@tandem/contracts";
import { taskFixture } from "@tandem/domain/testing";
import { filterTasks, statusStates } from "../src/lib/board-model.ts";
import { dueState } from "../src/lib/due.ts";
import { sortTasks } from "../src/lib/sort.ts";
import { toLanes } from "../src/lib/swimlanes.ts";

const task = (id: string, patch: Partial<TTask> = {}): TTask => ({
  ...taskFixture({ id, rank: id }),
  stateId: "todo",
  ...patch,
});
const member = (userId: string, name: string) => ({ userId, name }) as TMember;

describe("dueState", () => {
  const today = "2026-12-02";
  test("past is overdue, within two days is soon, later is later", () => {
    expect(dueState({ dueDate: "2026-12-01", status: "todo" }, today)).toBe("overdue");
    expect(dueState({ dueDate: "2026-12-02", status: "todo" }, today)).toBe("soon");
    expect(dueState({ dueDate: "2026-12-04", status: "in_progress" }, today)).toBe("soon");
    expect(dueState({ dueDate: "2026-12-05", status: "todo" }, today)).toBe("later");
  });
  test("no date, or a finished task, has no badge", () => {
    expect(dueState({ dueDate: null, status: "todo" }, today)).toBeNull();
    expect(dueState({ dueDate: "2026-11-01", status: "done" }, today)).toBeNull();
    expect(dueState({ dueDate: "2026-11-01", status: "canceled" }, today)).toBeNull();
  });
});

describe("toLanes", () => {
  const tasks = [
    task("a", { assigneeIds: ["u2", "u1"], priority: "high" }),
    task("b", { assigneeIds: [], priority: "none" }),
    task("c", { assigneeIds: ["u1"], priority: "high", labelIds: ["l1"] }),
  ];
  const context = { members: [member("u1", "Ann"), member("u2", "Bo")], labels: [] };
  test("none is one lane of everything", () => {
    expect(toLanes(tasks, "none", context)).toEqual([{ key: "all", title: "", tasks }]);
  });
  test("by assignee: a lane per member with tasks (first assignee), then the unassigned", () => {
    const lanes = toLanes(tasks, "assignee", context);
    expect(lanes.map((l) => [l.title, l.tasks.map((t) => t.id)])).toEqual([
      ["Ann", ["c"]],
      ["Bo", ["a"]],
      ["No assignee", ["b"]],
    ]);
  });
  test("by priority: most urgent first, empty lanes left out", () => {
    expect(toLanes(tasks, "priority", context).map((l) => l.key)).toEqual(["high", "none"]);
  });
  test("by label: unknown labels fall into 'No label'", () => {
    expect(toLanes(tasks, "label", context).map((l) => [l.key, l.tasks.length])).toEqual([["none", 3]]);
  });
});

describe("sortTasks and filterTasks", () => {
  const states = statusStates();
  const tasks = [
    task("a", { number: 3, title: "Zeta", stateId: "done", dueDate: null }),
    task("b", { number: 1, title: "Alpha", stateId: "todo", dueDate: "2026-12-10" }),
    task("c", { number: 2, title: "Mid", stateId: "backlog", dueDate: "2026-12-01" }),
  ];
  test("default order is the board's: state position, then rank", () => {
    expect(sortTasks(tasks, states).map((t) => t.id)).toEqual(["c", "b", "a"]);
  });
  test("by a column, both directions; no due date goes last", () => {
    expect(sortTasks(tasks, states, "key", "asc").map((t) => t.id)).toEqual(["b", "c", "a"]);
    expect(sortTasks(tasks, states, "title", "desc").map((t) => t.id)).toEqual(["a", "c", "b"]);
    expect(sortTasks(tasks, states, "dueDate", "asc").map((t) => t.id)).toEqual(["c", "b", "a"]);
    expect(sortTasks(tasks, states, "dueDate", "desc").map((t) => t.id)).toEqual(["b", "c", "a"]);
  });
  test("state and due filters", () => {
    expect(filterTasks(tasks, { state: "todo,done" }).map((t) => t.id)).toEqual(["a", "b"]);
    expect(filterTasks(tasks, { dueBefore: "2026-12-05" }).map((t) => t.id)).toEqual(["c"]);
    expect(filterTasks(tasks, { dueAfter: "2026-12-05" }).map((t) => t.id)).toEqual(["b"]);
  });
});
