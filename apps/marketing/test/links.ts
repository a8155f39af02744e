/** Finds internal links and asset references in built HTML that point at nothing in dist/. */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

export type BrokenLink = { page: string; attribute: string; url: string };

const ATTRIBUTE = /\s(href|src|srcset|poster)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

export function htmlFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...htmlFiles(path));
    else if (entry.endsWith(".html")) files.push(path);
  }
  return files;
}

/** The URL path a built page is served at: `dist/a/b/index.html` → `/a/b/`. */
export function pageUrl(dist: string, file: string): string {
  const path = relative(dist, file).split(sep).join("/");
  if (path === "index.html") return "/";
  if (path.endsWith("/index.html")) return `/${path.slice(0, -"index.html".length)}`;
  return `/${path}`;
}

/** Whether a URL path would be served from dist: files, `/dir/` → index.html, `/page` → page.html. */
export function targetExists(dist: string, pathname: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return false;
  }
  const local = join(dist, decoded);
  if (!local.startsWith(dist)) return false;
  const candidates = decoded.endsWith("/")
    ? [join(local, "index.html")]
    : [local, join(local, "index.html"), `${local}.html`];
  return candidates.some((file) => existsSync(file) && statSync(file).isFile());
}

/** The internal URLs in one attribute value (srcset holds several). */
function urlsOf(attribute: string, value: string): string[] {
  const values =
    attribute.toLowerCase() === "srcset" ? value.split(",").map((part) => part.trim().split(/\s+/)[0] ?? "") : [value];
  return values
    .map((url) => url.trim().replace(/&amp;/g, "&"))
    .filter((url) => url !== "" && !url.startsWith("#") && !url.startsWith("//") && !SCHEME.test(url));
}

export function findBrokenLinks(dist: string): { checked: number; broken: BrokenLink[] } {
  const broken: BrokenLink[] = [];
  let checked = 0;
  for (const file of htmlFiles(dist)) {
    const html = readFileSync(file, "utf8");
    const base = new URL(pageUrl(dist, file), "http://site.invalid");
    for (const match of html.matchAll(ATTRIBUTE)) {
      const attribute = match[1] ?? "";
      for (const url of urlsOf(attribute, match[2] ?? match[3] ?? "")) {
        checked += 1;
        const { pathname } = new URL(url, base);
        if (!targetExists(dist, pathname)) broken.push({ page: pageUrl(dist, file), attribute, url });
      }
    }
  }
  return { checked, broken };
}
