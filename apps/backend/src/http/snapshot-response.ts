import type { Context } from "hono";
import { pickEncoding } from "./content-encoding.ts";
import type { AppEnv } from "./env.ts";
import { type JsonResponse, jsonBytes } from "./json-text.ts";

/** Whether an `If-None-Match` header (one tag, a list, or `*`) names `etag`. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const trimmed = tag.trim();
    return trimmed === "*" || trimmed === etag;
  });
}

/**
 * Answers a read from the seq-keyed snapshot cache (one build per org change, shared by a
 * burst of readers), as 304 when the client already holds it. Each representation has its
 * own ETag (the org's seq, the request's key, the encoding) and the response varies on
 * `Accept-Encoding`: a client that accepts brotli or gzip gets bytes compressed once per
 * board version, never per request.
 */
export async function serveSnapshot<T>(
  c: Context<AppEnv>,
  params: { key: string; seq: number; cacheControl: string; build: () => Promise<unknown> | unknown },
): Promise<JsonResponse<T> | Response> {
  const encoding = pickEncoding(c.req.header("accept-encoding"));
  const suffix = encoding === "identity" ? "" : `-${encoding}`;
  const etag = `W/"${params.seq}-${Bun.hash(params.key).toString(36)}${suffix}"`;
  c.header("etag", etag);
  c.header("cache-control", params.cacheControl);
  c.header("vary", "Accept-Encoding", { append: true });
  if (matches(c.req.header("if-none-match"), etag)) return c.body(null, 304);
  const body = await c.var.snapshots.getOrBuild(params.key, params.seq, async () =>
    JSON.stringify(await params.build()),
  );
  return jsonBytes<T>(c, body.encoded(encoding), encoding);
}
