import type { Context } from "hono";
import { getConnInfo } from "hono/bun";

/** The caller's address: the socket's, or behind our proxy the last X-Forwarded-For hop. */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    // Our proxy appends the peer it saw; earlier hops are whatever the client claimed.
    const hop = c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim();
    if (hop) return hop;
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}
