/**
 * `bun run start`: serves the built site (dist/) on DOCS_PORT, else PORT (default 3002). Directory URLs map to
 * their index.html, unknown paths get Starlight's 404 page with status 404.
 */
import { existsSync, statSync } from "node:fs";
import { join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const DIST = fileURLToPath(new URL("./dist/", import.meta.url));

/** The file in `root` a URL path names, or null: never anything outside `root`. */
export function resolveStatic(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes("\0")) return null;
  const base = normalize(root.endsWith(sep) ? root : root + sep);
  const candidate = normalize(join(base, decoded));
  if (!candidate.startsWith(base) && candidate !== base.slice(0, -1)) return null;
  for (const file of [candidate, join(candidate, "index.html"), `${candidate}.html`]) {
    if (file.startsWith(base) && existsSync(file) && statSync(file).isFile()) return file;
  }
  return null;
}

export function createHandler(root = DIST) {
  return (request: Request): Response => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("Method not allowed", { status: 405, headers: { allow: "GET, HEAD" } });
    }
    const { pathname } = new URL(request.url);
    const file = resolveStatic(root, pathname);
    if (file) {
      const immutable = pathname.startsWith("/_astro/");
      return new Response(Bun.file(file), {
        headers: { "cache-control": immutable ? "public, max-age=31536000, immutable" : "public, max-age=300" },
      });
    }
    const notFound = join(root, "404.html");
    return existsSync(notFound)
      ? new Response(Bun.file(notFound), { status: 404, headers: { "content-type": "text/html; charset=utf-8" } })
      : new Response("Not found", { status: 404 });
  };
}

if (import.meta.main) {
  if (!existsSync(join(DIST, "index.html"))) {
    console.error("dist/ is missing: run `bun run build` first");
    process.exit(1);
  }
  const server = Bun.serve({
    port: Number(process.env.DOCS_PORT || process.env.PORT || 3002),
    hostname: "0.0.0.0",
    fetch: createHandler(),
  });
  console.log(`docs listening on http://localhost:${server.port}`);
}
