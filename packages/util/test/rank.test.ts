import { describe, expect, test } from "bun:test";
import { generateKeyBetween } from "fractional-indexing";
import { isValidRank, isValidRankOrder, rankAfter, rankBetween } from "../src/rank.ts";

describe("rankAfter", () => {
  test("sorts after the last key, and an empty column gets a first key", () => {
    const first = rankAfter(null);
    expect(first > "").toBe(true);
    let last = first;
    for (let i = 0; i < 50; i++) {
      const next = rankAfter(last);
      expect(next > last).toBe(true);
      last = next;
    }
  });

  test("concurrent appends after the same key get distinct keys, all after it and all valid", () => {
    const last = rankBetween(null, null);
    const keys = Array.from({ length: 200 }, () => rankAfter(last));
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) {
      expect(key > last).toBe(true);
      expect(key.endsWith("0")).toBe(false);
      // Still a key the library accepts: a card can later be placed between it and its neighbours.
      expect(() => generateKeyBetween(last, key)).not.toThrow();
      expect(() => generateKeyBetween(key, null)).not.toThrow();
    }
  });
});

describe("rankBetween", () => {
  test("lands strictly between its neighbours", () => {
    const a = rankAfter(null);
    const b = rankAfter(a);
    const mid = rankBetween(a, b);
    expect(a < mid && mid < b).toBe(true);
    expect(rankBetween(null, a) < a).toBe(true);
  });

  test("refuses neighbours in the wrong order", () => {
    const a = rankAfter(null);
    const b = rankAfter(a);
    expect(() => rankBetween(b, a)).toThrow();
    expect(isValidRankOrder(b, a)).toBe(false);
    expect(isValidRankOrder(a, b)).toBe(true);
    expect(isValidRankOrder(null, a)).toBe(true);
  });
});

describe("isValidRank", () => {
  test("keys the rank functions make are valid; malformed ones are not", () => {
    let key: string | null = null;
    for (let i = 0; i < 20; i++) {
      key = rankAfter(key);
      expect(isValidRank(key)).toBe(true);
    }
    expect(isValidRank(rankBetween(null, null))).toBe(true);
    for (const bad of [
      "",
      "a",
      "a00",
      "a10",
      "!!",
      "a0 ",
      "a0\u0000",
      "b0",
      "A00000000000000000000000000",
      `a0${"V".repeat(200)}`,
    ])
      expect(`${JSON.stringify(bad)} ${isValidRank(bad)}`).toBe(`${JSON.stringify(bad)} false`);
  });
});
