import { ZPublicOrg } from "@tandem/contracts";
import { getPublicOrg, getPublicTask, listPublicTasks } from "@tandem/domain";
import { Hono } from "hono";
import { z } from "zod";
import { doc } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";

const ZSlugParam = z.object({ slug: z.string().min(1).max(64) });

/** Anonymous read-only board: public tasks and the org's chosen public fields only. */
export const publicRoutes = new Hono<AppEnv>()
  .get("/:slug", doc("Public board", "A public org", ZPublicOrg), validate("param", ZSlugParam), async (c) =>
    c.json(await getPublicOrg({ db: c.var.deps.db, slug: c.req.valid("param").slug })),
  )
  .get(
    "/:slug/tasks",
    doc("Public board", "Public tasks with public fields"),
    validate("param", ZSlugParam),
    async (c) =>
      c.json({ tasks: await listPublicTasks({ db: c.var.deps.db, slug: c.req.valid("param").slug, limit: 1000 }) }),
  )
  .get(
    "/:slug/tasks/:number",
    doc("Public board", "One public task"),
    validate("param", ZSlugParam.extend({ number: z.string().min(1).max(20) })),
    async (c) => {
      const { slug, number } = c.req.valid("param");
      return c.json(await getPublicTask({ db: c.var.deps.db, slug, key: number }));
    },
  );
