import { getMemberOrg, type MemberOrg } from "@tandem/database";
import type { Actor, PublicCtx, UserCtx } from "@tandem/domain";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../http/env.ts";
import { ApiError } from "../http/errors.ts";
import { currentUser } from "./session.ts";

/** The org and actor of the request: the API key's own org, or the user's membership of the URL's org. */
async function resolveMember(
  c: Context<AppEnv>,
  orgId: string | undefined,
): Promise<(MemberOrg & { actor: Actor }) | null> {
  const key = c.var.apiKey;
  // A key resolves its org itself: on another org's routes it finds nothing there.
  if (key) return key.org.id === orgId ? key : null;
  const user = currentUser(c);
  const read = c.var.sessionOrg;
  // Read with the session when the path named this org (always, behind loadSession).
  const found =
    read && read.orgId === orgId
      ? read.membership
      : orgId
        ? await getMemberOrg(c.var.deps.db, { orgId, userId: user.id })
        : null;
  return found && { ...found, actor: { type: "user", userId: user.id, permissions: found.access.permissions } };
}

/**
 * Builds the domain Ctx for `/orgs/:orgId/*`. The org comes from the URL and the membership
 * from the database; a non-member (or a key of another org) sees exactly what a missing org
 * looks like (404).
 */
export const requireOrgMember = createMiddleware<AppEnv>(async (c, next) => {
  const { db, notify, services } = c.var.deps;
  const found = await resolveMember(c, c.req.param("orgId"));
  if (!found) throw new ApiError("NOT_FOUND", "Organization not found");
  let reported = 0;
  c.set("ctx", {
    db,
    notify,
    services,
    org: found.org,
    actor: found.actor,
    // Set by the UI on requests from a tab with a live socket, so the hub skips its echo.
    origin: c.req.header("x-ws-client-id")?.slice(0, 64),
    // The seq of the change this request made: the hub does not echo it to the sender's socket.
    onCommittedSeq: (seq) => {
      reported = Math.max(reported, seq);
      c.header("x-event-seq", String(reported));
    },
  });
  c.set("orgSeq", found.lastEventSeq);
  await next();
});

/** The context of a signed-in user acting outside their orgs (`/me`, creating an org, accepting an invite). */
export function userCtx(c: Context<AppEnv>): UserCtx {
  const { db, notify, services } = c.var.deps;
  return { db, notify, services, userId: currentUser(c).id };
}

/** The context of an anonymous visitor of a published board. */
export function publicCtx(c: Context<AppEnv>): PublicCtx {
  const { db, notify, services } = c.var.deps;
  return { db, notify, services };
}
