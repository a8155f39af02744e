import { ZCreateTeamInput, ZDeleted, ZTeam, ZUpdateTeamInput } from "@tandem/contracts";
import { createTeam, deleteTeam, listTeams, setTeamMembership, updateTeam } from "@tandem/domain";
import { Hono } from "hono";
import { z } from "zod";
import { doc } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";

const ZTeamParam = z.object({ teamId: z.string().min(1).max(64) });
const ZTeamMemberParam = ZTeamParam.extend({ userId: z.string().min(1).max(64) });

export const teamRoutes = new Hono<AppEnv>()
  .get(
    "/",
    doc({ tag: "Teams", summary: "List teams and their permission sets", access: "member", response: z.array(ZTeam) }),
    async (c) => c.json(await listTeams({ ctx: c.var.ctx, input: undefined })),
  )
  .post(
    "/",
    doc({
      tag: "Teams",
      summary: "Create a team",
      access: "admin.manageTeams",
      response: ZTeam,
      status: 201,
      errors: [409],
    }),
    validate("json", ZCreateTeamInput),
    async (c) => c.json(await createTeam({ ctx: c.var.ctx, input: c.req.valid("json") }), 201),
  )
  .patch(
    "/:teamId",
    doc({
      tag: "Teams",
      summary: "Rename a team or change its permissions",
      access: "admin.manageTeams",
      response: ZTeam,
      errors: [409],
    }),
    validate("param", ZTeamParam),
    validate("json", ZUpdateTeamInput),
    async (c) =>
      c.json(
        await updateTeam({
          ctx: c.var.ctx,
          input: { teamId: c.req.valid("param").teamId, patch: c.req.valid("json") },
        }),
      ),
  )
  .delete(
    "/:teamId",
    doc({ tag: "Teams", summary: "Delete a team", access: "admin.manageTeams", response: ZDeleted, errors: [409] }),
    validate("param", ZTeamParam),
    async (c) => c.json(await deleteTeam({ ctx: c.var.ctx, input: c.req.valid("param") })),
  )
  .put(
    "/:teamId/members/:userId",
    doc({ tag: "Teams", summary: "Add a member to a team", access: "admin.manageTeams", response: ZTeam }),
    validate("param", ZTeamMemberParam),
    async (c) => c.json(await setTeamMembership({ ctx: c.var.ctx, input: { ...c.req.valid("param"), member: true } })),
  )
  .delete(
    "/:teamId/members/:userId",
    doc({
      tag: "Teams",
      summary: "Remove a member from a team",
      access: "admin.manageTeams",
      response: ZTeam,
      errors: [409],
    }),
    validate("param", ZTeamMemberParam),
    async (c) => c.json(await setTeamMembership({ ctx: c.var.ctx, input: { ...c.req.valid("param"), member: false } })),
  );
