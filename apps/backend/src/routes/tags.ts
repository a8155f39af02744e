import { ZCreateTagInput, ZTag, ZUpdateTagInput } from "@tandem/contracts";
import {
  createCategory,
  createLabel,
  deleteCategory,
  deleteLabel,
  listCategories,
  listLabels,
  type TagVerbs,
  updateCategory,
  updateLabel,
} from "@tandem/domain";
import { Hono } from "hono";
import { z } from "zod";
import { doc } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";

const ZIdParam = z.object({ id: z.string().min(1).max(64) });

/** Labels and categories: the same routes over the same verbs. */
function tagRoutes(tag: string, verbs: TagVerbs, permission: "content.manageLabels" | "content.manageCategories") {
  return new Hono<AppEnv>()
    .get(
      "/",
      doc({ tag, summary: `List ${tag.toLowerCase()}`, access: "member", response: z.array(ZTag) }),
      async (c) => c.json(await verbs.list({ ctx: c.var.ctx, input: undefined })),
    )
    .post(
      "/",
      doc({ tag, summary: "Create", access: permission, response: ZTag, status: 201, errors: [409] }),
      validate("json", ZCreateTagInput),
      async (c) => c.json(await verbs.create({ ctx: c.var.ctx, input: c.req.valid("json") }), 201),
    )
    .patch(
      "/:id",
      doc({ tag, summary: "Update", access: permission, response: ZTag, errors: [409] }),
      validate("param", ZIdParam),
      validate("json", ZUpdateTagInput),
      async (c) =>
        c.json(
          await verbs.update({ ctx: c.var.ctx, input: { id: c.req.valid("param").id, patch: c.req.valid("json") } }),
        ),
    )
    .delete(
      "/:id",
      doc({ tag, summary: "Delete", access: permission, response: ZTag }),
      validate("param", ZIdParam),
      async (c) => c.json(await verbs.delete({ ctx: c.var.ctx, input: c.req.valid("param") })),
    );
}

export const labelRoutes = tagRoutes(
  "Labels",
  { list: listLabels, create: createLabel, update: updateLabel, delete: deleteLabel },
  "content.manageLabels",
);
export const categoryRoutes = tagRoutes(
  "Categories",
  { list: listCategories, create: createCategory, update: updateCategory, delete: deleteCategory },
  "content.manageCategories",
);
