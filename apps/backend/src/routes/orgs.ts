import { ZCreateInviteInput, ZInvite, ZMember, ZOrg, ZUpdateOrgInput } from "@tandem/contracts";
import {
  createInvite,
  deleteOrg,
  getOrg,
  listInvites,
  listMembers,
  removeMember,
  revokeInvite,
  updateOrg,
} from "@tandem/domain";
import { Hono } from "hono";
import { z } from "zod";
import { doc } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";

const ZUserParam = z.object({ userId: z.string().min(1).max(64) });
const ZInviteParam = z.object({ inviteId: z.string().min(1).max(64) });

/** `/orgs/:orgId`: settings, members and invites. Membership is checked by the mount. */
export const orgRoutes = new Hono<AppEnv>()
  .get("/", doc("Organizations", "Get an org", ZOrg), async (c) =>
    c.json(await getOrg({ ctx: c.var.ctx, input: undefined })),
  )
  .patch("/", doc("Organizations", "Update org settings", ZOrg), validate("json", ZUpdateOrgInput), async (c) =>
    c.json(await updateOrg({ ctx: c.var.ctx, input: c.req.valid("json") })),
  )
  .delete("/", doc("Organizations", "Delete an org and everything in it"), async (c) =>
    c.json(await deleteOrg({ ctx: c.var.ctx, input: undefined })),
  )
  .get("/members", doc("Members", "List members", z.array(ZMember)), async (c) =>
    c.json(await listMembers({ ctx: c.var.ctx, input: undefined })),
  )
  .delete("/members/:userId", doc("Members", "Remove a member"), validate("param", ZUserParam), async (c) =>
    c.json(await removeMember({ ctx: c.var.ctx, input: c.req.valid("param") })),
  )
  .get("/invites", doc("Invites", "List invites", z.array(ZInvite)), async (c) =>
    c.json(await listInvites({ ctx: c.var.ctx, input: undefined })),
  )
  .post("/invites", doc("Invites", "Create an invite", ZInvite, 201), validate("json", ZCreateInviteInput), async (c) =>
    c.json(await createInvite({ ctx: c.var.ctx, input: c.req.valid("json") }), 201),
  )
  .delete(
    "/invites/:inviteId",
    doc("Invites", "Revoke an invite", ZInvite),
    validate("param", ZInviteParam),
    async (c) => c.json(await revokeInvite({ ctx: c.var.ctx, input: c.req.valid("param") })),
  );
