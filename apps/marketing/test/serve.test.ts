import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHandler, resolveStatic } from "../serve.ts";

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "marketing-serve-"));
  mkdirSync(join(root, "guide"));
  writeFileSync(join(root, "index.html"), "home");
  writeFileSync(join(root, "404.html"), "not here");
  writeFileSync(join(root, "guide", "index.html"), "guide");
  writeFileSync(join(root, "logo.svg"), "<svg/>");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

test("maps URL paths to files, directories to their index.html", () => {
  expect(resolveStatic(root, "/")).toBe(join(root, "index.html"));
  expect(resolveStatic(root, "/guide/")).toBe(join(root, "guide", "index.html"));
  expect(resolveStatic(root, "/guide")).toBe(join(root, "guide", "index.html"));
  expect(resolveStatic(root, "/logo.svg")).toBe(join(root, "logo.svg"));
  expect(resolveStatic(root, "/nope")).toBeNull();
});

test("never leaves the root", () => {
  expect(resolveStatic(root, "/../../etc/passwd")).toBeNull();
  expect(resolveStatic(root, "/%2e%2e/%2e%2e/etc/passwd")).toBeNull();
  expect(resolveStatic(root, "/%00")).toBeNull();
  expect(resolveStatic(root, "/%E0%A4%A")).toBeNull();
});

test("serves files, 404 with the site's page, and only GET/HEAD", async () => {
  const handle = createHandler(root);
  const home = handle(new Request("http://docs/"));
  expect(home.status).toBe(200);
  expect(await home.text()).toBe("home");
  const missing = handle(new Request("http://docs/missing/"));
  expect(missing.status).toBe(404);
  expect(await missing.text()).toBe("not here");
  expect(handle(new Request("http://docs/", { method: "POST" })).status).toBe(405);
});
