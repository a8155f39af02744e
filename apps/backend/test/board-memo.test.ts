import { expect, test } from "bun:test";
import { BoardMemo } from "../src/http/board-memo.ts";

type Board = { org: { id: string }; seq: number };
const board = (orgId: string, seq: number): Board => ({ org: { id: orgId }, seq });

test("a slug is read once while its entry is fresh, and concurrent look-ups share one read", async () => {
  const memo = new BoardMemo<Board>(60_000);
  let reads = 0;
  const load = async () => {
    reads += 1;
    return board("o1", reads);
  };
  const [first, second] = await Promise.all([memo.get("acme", load), memo.get("acme", load)]);
  expect(first).toBe(second);
  expect(await memo.get("acme", load)).toBe(first);
  expect(reads).toBe(1);
});

test("forget(orgId) drops every slug of that org and no other", async () => {
  const memo = new BoardMemo<Board>(60_000);
  let reads = 0;
  const load = (orgId: string) => async () => {
    reads += 1;
    return board(orgId, reads);
  };
  await memo.get("acme", load("o1"));
  await memo.get("other", load("o2"));
  memo.forget("o1");
  await memo.get("acme", load("o1"));
  await memo.get("other", load("o2"));
  expect(reads).toBe(3);
});

test("an entry older than the ttl is read again", async () => {
  const memo = new BoardMemo<Board>(1);
  let reads = 0;
  const load = async () => {
    reads += 1;
    return board("o1", reads);
  };
  await memo.get("acme", load);
  const started = performance.now();
  // Bounded wait on the clock itself (no fixed sleep): the entry is stale once 1 ms has passed.
  while (performance.now() - started < 2) await Promise.resolve();
  await memo.get("acme", load);
  expect(reads).toBe(2);
});

test("beyond maxBoards the least recently used slug goes first", async () => {
  const memo = new BoardMemo<Board>(60_000, 2);
  let reads = 0;
  const load = async () => {
    reads += 1;
    return board("o1", reads);
  };
  await memo.get("a", load);
  await memo.get("b", load);
  await memo.get("a", load);
  await memo.get("c", load);
  expect(reads).toBe(3);
  await memo.get("b", load);
  expect(reads).toBe(4);
});
