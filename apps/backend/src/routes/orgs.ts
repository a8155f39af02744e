import {
  ZCreateInviteInput,
  ZDeleted,
  ZInvite,
  ZMember,
  ZOrg,
  ZRemovedMember,
  ZUpdateOrgInput,
} from "@tandem/contracts";
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
  .get("/", doc({ tag: "Organizations", summary: "Get an org", access: "member", response: ZOrg }), async (c) =>
    c.json(await getOrg({ ctx: c.var.ctx, input: undefined })),
  )
  .patch(
    "/",
    doc({
      tag: "Organizations",
      summary: "Update org settings",
      access: "admin.manageSettings",
      response: ZOrg,
      errors: [409],
    }),
    validate("json", ZUpdateOrgInput),
    async (c) => c.json(await updateOrg({ ctx: c.var.ctx, input: c.req.valid("json") })),
  )
  .delete(
    "/",
    doc({
      tag: "Organizations",
      summary: "Delete an org and everything in it",
      access: "admin.administrator",
      response: ZDeleted,
    }),
    async (c) => c.json(await deleteOrg({ ctx: c.var.ctx, input: undefined })),
  )
  .get(
    "/members",
    doc({ tag: "Members", summary: "List members", access: "member", response: z.array(ZMember) }),
    async (c) => c.json(await listMembers({ ctx: c.var.ctx, input: undefined })),
  )
  .delete(
    "/members/:userId",
    doc({
      tag: "Members",
      summary: "Remove a member",
      access: "admin.manageMembers",
      response: ZRemovedMember,
      errors: [409],
    }),
    validate("param", ZUserParam),
    async (c) => c.json(await removeMember({ ctx: c.var.ctx, input: c.req.valid("param") })),
  )
  .get(
    "/invites",
    doc({ tag: "Invites", summary: "List invites", access: "admin.manageMembers", response: z.array(ZInvite) }),
    async (c) => c.json(await listInvites({ ctx: c.var.ctx, input: undefined })),
  )
  .post(
    "/invites",
    doc({ tag: "Invites", summary: "Create an invite", access: "admin.manageMembers", response: ZInvite, status: 201 }),
    validate("json", ZCreateInviteInput),
    async (c) => c.json(await createInvite({ ctx: c.var.ctx, input: c.req.valid("json") }), 201),
  )
  .delete(
    "/invites/:inviteId",
    doc({ tag: "Invites", summary: "Revoke an invite", access: "admin.manageMembers", response: ZInvite }),
    validate("param", ZInviteParam),
    async (c) => c.json(await revokeInvite({ ctx: c.var.ctx, input: c.req.valid("param") })),
  );
