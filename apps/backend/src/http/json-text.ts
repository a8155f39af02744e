import type { Context, TypedResponse } from "hono";
import type { Bytes, ContentEncoding } from "./content-encoding.ts";
import type { AppEnv } from "./env.ts";

/** A 200 JSON response, typed for the RPC client as `c.json` would type it. */
export type JsonResponse<T> = Response & TypedResponse<T, 200, "json">;

/** What a typed JSON response is at run time: a 200 with a JSON body (`T` is the compiler's). */
function isJsonResponse<T>(response: Response): response is JsonResponse<T> {
  return response.status === 200 && response.headers.get("content-type") === "application/json";
}

/**
 * Answers JSON serialized (and maybe compressed) ahead of time, a cached snapshot, as it is,
 * where `c.json` would serialize again; typed for the RPC client as the `T` it was made from.
 */
export function jsonBytes<T>(c: Context<AppEnv>, bytes: Bytes, encoding: ContentEncoding): JsonResponse<T> {
  c.header("content-type", "application/json");
  if (encoding !== "identity") c.header("content-encoding", encoding);
  const response = c.body(bytes, 200);
  if (!isJsonResponse<T>(response)) throw new Error("a JSON body was not answered as 200 application/json");
  return response;
}
