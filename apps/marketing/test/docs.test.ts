import { beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findBrokenLinks, htmlFiles } from "./links.ts";
import { buildSite, DIST } from "./site.ts";

const PAGES = [
  "/",
  "/start/getting-started/",
  "/guides/self-hosting/",
  "/guides/github-sync/",
  "/concepts/architecture/",
  "/concepts/permissions/",
  "/reference/configuration/",
  "/reference/rest-api/",
  "/reference/websocket/",
  "/reference/benchmarks/",
];

describe("the built site", () => {
  beforeAll(async () => {
    const build = await buildSite();
    if (!build.ok) throw new Error(`astro build failed:\n${build.output}`);
  }, 120_000);

  test("has every docs page", () => {
    for (const page of PAGES) {
      expect(() => readFileSync(join(DIST, page, "index.html"), "utf8"), page).not.toThrow();
    }
  });

  test("has no broken internal link or asset", () => {
    const { checked, broken } = findBrokenLinks(DIST);
    expect(checked).toBeGreaterThan(100);
    expect(broken).toEqual([]);
  });

  test("shows the current screenshots on the landing page", () => {
    const html = readFileSync(join(DIST, "index.html"), "utf8");
    for (const name of ["board", "task-dialog", "public-board", "team-editor"]) {
      expect(html).toContain(`/screenshots/${name}-light.png`);
      const copied = readFileSync(join(DIST, "screenshots", `${name}-light.png`));
      const source = readFileSync(join(DIST, "../../../docs/screenshots", `${name}-light.png`));
      expect(Buffer.compare(copied, source), name).toBe(0);
    }
  });

  test("links the backend's API reference and the architecture diagram", () => {
    const rest = readFileSync(join(DIST, "reference/rest-api/index.html"), "utf8");
    expect(rest).toContain("/api/openapi.json");
    expect(rest).toContain("/api/docs");
    const architecture = readFileSync(join(DIST, "concepts/architecture/index.html"), "utf8");
    expect(architecture).toContain('src="/architecture.svg"');
  });
});

describe("the link checker", () => {
  test("reports a link to a missing page and a missing asset, and accepts existing ones", () => {
    const dist = mkdtempSync(join(tmpdir(), "marketing-links-"));
    try {
      mkdirSync(join(dist, "guide"), { recursive: true });
      writeFileSync(join(dist, "logo.svg"), "<svg/>");
      writeFileSync(join(dist, "guide", "index.html"), '<a href="/">home</a><a href="../">up</a>');
      writeFileSync(
        join(dist, "index.html"),
        [
          '<a href="/guide/">ok</a>',
          '<a href="/guide">ok without slash</a>',
          '<a href="/guide/#part">ok with anchor</a>',
          '<a href="#top">anchor</a>',
          '<a href="https://example.com/missing/">external</a>',
          '<a href="mailto:a@b.c">mail</a>',
          '<img src="/logo.svg" srcset="/logo.svg 1x, /logo@2x.svg 2x">',
          '<a href="/missing-page/">broken</a>',
          '<img src="/missing.png">',
          '<a href="guide/nested/">broken relative</a>',
        ].join("\n"),
      );
      const { broken } = findBrokenLinks(dist);
      expect(broken.map((link) => link.url).sort()).toEqual([
        "/logo@2x.svg",
        "/missing-page/",
        "/missing.png",
        "guide/nested/",
      ]);
      expect(htmlFiles(dist)).toHaveLength(2);
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});
