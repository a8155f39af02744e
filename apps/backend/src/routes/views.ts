import { ZCreateViewInput, ZSavedView, ZUpdateViewInput } from "@tandem/contracts";
import { createView, deleteView, listViews, updateView } from "@tandem/domain";
import { Hono } from "hono";
import { z } from "zod";
import { doc } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";

const ZViewParam = z.object({ viewId: z.string().min(1).max(64) });
const SHARED = "Shared views (`shared: true`, `ownerId` null) take tasks.edit; personal ones any member.";

/** `/orgs/:orgId/views`: saved filters, grouping and layout; the caller's own and the org's shared ones. */
export const viewRoutes = new Hono<AppEnv>()
  .get(
    "/",
    doc({
      tag: "Views",
      summary: "The caller's own views and the org's shared views",
      access: "member",
      response: z.array(ZSavedView),
    }),
    async (c) => c.json(await listViews({ ctx: c.var.ctx, input: undefined })),
  )
  .post(
    "/",
    doc({
      tag: "Views",
      summary: "Save a view",
      description: SHARED,
      access: "member",
      response: ZSavedView,
      status: 201,
      errors: [403],
    }),
    validate("json", ZCreateViewInput),
    async (c) => c.json(await createView({ ctx: c.var.ctx, input: c.req.valid("json") }), 201),
  )
  .patch(
    "/:viewId",
    doc({
      tag: "Views",
      summary: "Change a view",
      description: SHARED,
      access: "member",
      response: ZSavedView,
      errors: [403],
    }),
    validate("param", ZViewParam),
    validate("json", ZUpdateViewInput),
    async (c) =>
      c.json(
        await updateView({
          ctx: c.var.ctx,
          input: { viewId: c.req.valid("param").viewId, patch: c.req.valid("json") },
        }),
      ),
  )
  .delete(
    "/:viewId",
    doc({
      tag: "Views",
      summary: "Delete a view",
      description: SHARED,
      access: "member",
      response: ZSavedView,
      errors: [403],
    }),
    validate("param", ZViewParam),
    async (c) => c.json(await deleteView({ ctx: c.var.ctx, input: c.req.valid("param") })),
  );
