/**
 * The board's drop arithmetic without a browser: where a dragged card lands (dnd-kit's ids to
 * a column and an index) and the neighbours and rank sent for it.
 */
import { describe, expect, test } from "bun:test";
import type { TTask, TTaskStatus } from "@tandem/contracts";
import { taskFixture } from "@tandem/domain/testing";
import { rankAfter } from "@tandem/util";
import { type Column, dropPosition, dropTarget, groupByState, statusStates } from "../src/lib/board-model.ts";

let last: string | null = null;
function task(id: string, status: TTaskStatus): TTask {
  last = rankAfter(last);
  return { ...taskFixture({ id, status, rank: last }), stateId: status };
}

// todo: a, b, c, d (in rank order); done: x, y.
const tasks = [
  task("a", "todo"),
  task("b", "todo"),
  task("c", "todo"),
  task("d", "todo"),
  task("x", "done"),
  task("y", "done"),
];
const states = statusStates();
const columns = groupByState(tasks, states);
const column = (status: TTaskStatus): TTask[] => columns.find((c) => c.stateId === status)?.tasks ?? [];
const at = (status: TTaskStatus, index: number): { column: Column; index: number } => ({
  column: columns.find((c) => c.stateId === status) as Column,
  index,
});
function byId(id: string): TTask {
  const found = tasks.find((t) => t.id === id);
  if (!found) throw new Error(`no task ${id}`);
  return found;
}

/** The column's ids after the move, as the optimistic board would order them. */
function landed(movingId: string, overId: string): string[] {
  const moving = byId(movingId);
  const target = dropTarget(columns, moving, overId);
  if (!target) return [];
  const { rank } = dropPosition(target.column.tasks, moving.id, target.index);
  const stateId = target.column.stateId;
  const moved = tasks.map((t) => (t.id === moving.id ? { ...t, stateId, rank } : t));
  return (groupByState(moved, states).find((c) => c.stateId === stateId)?.tasks ?? []).map((t) => t.id);
}

describe("dropTarget: dnd-kit's ids to a column and an index", () => {
  test("a drop on a column appends to it", () => {
    expect(dropTarget(columns, byId("a"), "column:all::done")).toEqual(at("done", 2));
    // In its own column, the card itself is not counted.
    expect(dropTarget(columns, byId("a"), "column:all::todo")).toEqual(at("todo", 3));
  });

  test("a drop on a card from another column takes that card's place", () => {
    expect(dropTarget(columns, byId("x"), "b")).toEqual(at("todo", 1));
  });

  test("in the same column, a card dragged down lands after the card it is dropped on, dragged up before it", () => {
    expect(dropTarget(columns, byId("a"), "c")).toEqual(at("todo", 2));
    expect(dropTarget(columns, byId("d"), "b")).toEqual(at("todo", 1));
  });

  test("a drop on itself, an unknown card or an unknown column moves nothing", () => {
    expect(dropTarget(columns, byId("a"), "a")).toBeNull();
    expect(dropTarget(columns, byId("a"), "nope")).toBeNull();
    expect(dropTarget(columns, byId("a"), "column:all::archived")).toBeNull();
  });
});

describe("dropPosition: neighbours and a rank between them", () => {
  test("the card lands where it was dropped", () => {
    expect(landed("a", "c")).toEqual(["b", "c", "a", "d"]);
    expect(landed("d", "b")).toEqual(["a", "d", "b", "c"]);
    expect(landed("a", "d")).toEqual(["b", "c", "d", "a"]);
    expect(landed("x", "a")).toEqual(["x", "a", "b", "c", "d"]);
    expect(landed("b", "column:all::done")).toEqual(["x", "y", "b"]);
  });

  test("the neighbours sent to the API are the cards around the new place", () => {
    expect(dropPosition(column("todo"), "a", 2)).toMatchObject({ afterId: "c", beforeId: "d" });
    expect(dropPosition(column("todo"), "x", 0)).toMatchObject({ afterId: undefined, beforeId: "a" });
    expect(dropPosition(column("done"), "a", 2)).toMatchObject({ afterId: "y", beforeId: undefined });
  });

  test("an index past the end is clamped to the end", () => {
    expect(dropPosition(column("todo"), "x", 99)).toMatchObject({ afterId: "d", beforeId: undefined });
  });

  test("neighbours with equal ranks (a concurrent edit) still get a rank after the one above", () => {
    const twins = [{ ...byId("a") }, { ...byId("b"), rank: byId("a").rank }];
    const { rank, afterId, beforeId } = dropPosition(twins, "x", 1);
    expect({ afterId, beforeId }).toEqual({ afterId: "a", beforeId: "b" });
    expect(rank > byId("a").rank).toBe(true);
  });
});
