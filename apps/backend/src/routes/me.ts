import { ZCreateOrgInput, ZMe, ZOrg } from "@tandem/contracts";
import { acceptInvite, createOrg, getMe } from "@tandem/domain";
import { Hono } from "hono";
import { z } from "zod";
import { doc } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";
import { userCtx } from "../middleware/org.ts";

/** Signed-in routes that are not inside one org. */
export const meRoutes = new Hono<AppEnv>()
  .get(
    "/me",
    doc({ tag: "Me", summary: "The signed-in user and their orgs", access: "signedIn", response: ZMe }),
    async (c) => {
      return c.json(await getMe({ ctx: userCtx(c), input: undefined }));
    },
  )
  .post(
    "/orgs",
    doc({
      tag: "Organizations",
      summary: "Create an org (the creator becomes administrator)",
      access: "signedIn",
      response: ZOrg,
      status: 201,
      errors: [409],
    }),
    validate("json", ZCreateOrgInput),
    async (c) => {
      const org = await createOrg({ ctx: userCtx(c), input: c.req.valid("json") });
      return c.json(org, 201);
    },
  )
  .post(
    "/invites/:code/accept",
    doc({
      tag: "Invites",
      summary: "Accept an invite and join its org",
      access: "signedIn",
      response: ZOrg,
      errors: [403, 404, 409],
    }),
    validate("param", z.object({ code: z.string().min(1).max(100) })),
    async (c) => {
      const org = await acceptInvite({ ctx: userCtx(c), input: c.req.valid("param") });
      return c.json(org);
    },
  );
