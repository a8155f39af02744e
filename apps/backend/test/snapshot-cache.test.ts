import { expect, test } from "bun:test";
import { gunzipSync } from "node:zlib";
import { type SnapshotBody, SnapshotCache } from "../src/http/snapshot-cache.ts";

const body = (char: string, bytes: number) => char.repeat(bytes);
const text = (snapshot: SnapshotBody | undefined) =>
  snapshot === undefined ? undefined : new TextDecoder().decode(snapshot.encoded("identity"));

test("an entry is served only under the seq it was built at", () => {
  const cache = new SnapshotCache(1000);
  cache.set("org:tasks", 7, "seven");
  expect(text(cache.get("org:tasks", 7))).toBe("seven");
  expect(cache.get("org:tasks", 8)).toBeUndefined();
  cache.set("org:tasks", 8, "eight");
  expect(cache.get("org:tasks", 7)).toBeUndefined();
  expect(text(cache.get("org:tasks", 8))).toBe("eight");
});

test("bounded by bytes: the least recently used entry goes first", () => {
  const cache = new SnapshotCache(1000);
  cache.set("a", 1, body("a", 250));
  cache.set("b", 1, body("b", 250));
  cache.set("c", 1, body("c", 250));
  cache.set("d", 1, body("d", 250));
  expect(cache.get("a", 1)).toBeDefined(); // "a" is now the most recent; "b" the least
  cache.set("e", 1, body("e", 250));
  expect(cache.get("b", 1)).toBeUndefined();
  for (const key of ["a", "c", "d", "e"]) expect(cache.get(key, 1)).toBeDefined();
});

test("a body over a quarter of the budget is not cached and drops the key's older body", () => {
  const cache = new SnapshotCache(1000);
  cache.set("big", 1, "small");
  cache.set("big", 2, body("x", 251));
  expect(cache.get("big", 2)).toBeUndefined();
  expect(cache.get("big", 1)).toBeUndefined();
});

test("a budget of 0 bytes caches nothing", () => {
  const cache = new SnapshotCache(0);
  cache.set("k", 1, "");
  cache.set("k", 1, "body");
  expect(cache.get("k", 1)).toBeUndefined();
});

test("an empty body is cached like any other", () => {
  const cache = new SnapshotCache(1000);
  cache.set("k", 1, "");
  expect(text(cache.get("k", 1))).toBe("");
});

test("concurrent reads of one key and seq share one build; a new seq builds again", async () => {
  const cache = new SnapshotCache(1000);
  let builds = 0;
  let release: (value: string) => void = () => {};
  const gate = new Promise<string>((resolve) => {
    release = resolve;
  });
  const build = () => {
    builds += 1;
    return gate;
  };
  const reads = [cache.getOrBuild("k", 1, build), cache.getOrBuild("k", 1, build), cache.getOrBuild("k", 1, build)];
  release("built");
  expect((await Promise.all(reads)).map(text)).toEqual(["built", "built", "built"]);
  expect(builds).toBe(1);
  expect(text(await cache.getOrBuild("k", 1, build))).toBe("built");
  expect(builds).toBe(1);
  await cache.getOrBuild("k", 2, async () => "next");
  expect(text(cache.get("k", 2))).toBe("next");
});

test("a failed build is not cached and the next read builds again", async () => {
  const cache = new SnapshotCache(1000);
  await expect(cache.getOrBuild("k", 1, () => Promise.reject(new Error("db down")))).rejects.toThrow("db down");
  expect(text(await cache.getOrBuild("k", 1, async () => "ok"))).toBe("ok");
});

test("a compressed variant is made once, kept with its body, and counted in the budget", () => {
  const cache = new SnapshotCache(200_000);
  const json = JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ id: i, title: `Task ${i % 7}` })));
  const entry = cache.set("k", 1, json);
  const gzip = entry.encoded("gzip");
  expect(entry.encoded("gzip")).toBe(gzip);
  expect(gunzipSync(gzip).toString()).toBe(json);
  expect(entry.size).toBe(entry.encoded("identity").byteLength + gzip.byteLength);
  expect(cache.get("k", 1)).toBe(entry);
});

test("a body whose variants outgrow a quarter of the budget leaves the cache", () => {
  const cache = new SnapshotCache(4 * 1200);
  const entry = cache.set("k", 1, body("x", 1000));
  expect(cache.get("k", 1)).toBe(entry);
  // Random bytes do not compress: identity + gzip is over 1,200 bytes.
  const noise = Array.from(crypto.getRandomValues(new Uint8Array(500)), (b) => b.toString(16).padStart(2, "0")).join(
    "",
  );
  const other = cache.set("n", 1, noise);
  other.encoded("gzip");
  expect(cache.get("n", 1)).toBeUndefined();
  expect(cache.get("k", 1)).toBe(entry);
});
