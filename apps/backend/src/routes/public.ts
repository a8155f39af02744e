import {
  type TPublicBoard,
  type TPublicTask,
  type TPublicTaskPage,
  ZPublicBoard,
  ZPublicTask,
  ZPublicTaskPage,
  ZPublicTasksQuery,
} from "@tandem/contracts";
import { getPublicOrg, getPublicTask, listPublicTasks, loadPublicBoard, type PublicBoard } from "@tandem/domain";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { doc } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import type { JsonResponse } from "../http/json-text.ts";
import { serveSnapshot } from "../http/snapshot-response.ts";
import { validate } from "../http/validate.ts";
import { publicCtx } from "../middleware/org.ts";

const ZSlugParam = z.object({ slug: z.string().min(1).max(64) });

function board(c: Context<AppEnv>, slug: string): Promise<PublicBoard> {
  return c.var.deps.boards.get(slug, () => loadPublicBoard({ ctx: publicCtx(c), input: { slug } }));
}

/** Anonymous readers are many and identical: after the first, a read costs one indexed lookup of the org and its seq. */
function cached<T>(
  c: Context<AppEnv>,
  board: PublicBoard,
  build: () => Promise<unknown> | unknown,
): Promise<JsonResponse<T> | Response> {
  return serveSnapshot<T>(c, {
    key: `public:${board.org.id}:${c.req.path}?${new URL(c.req.url).searchParams}`,
    seq: board.seq,
    cacheControl: "public, no-cache",
    build,
  });
}

/** Anonymous read-only board: public tasks and the org's chosen public fields only. */
export const publicRoutes = new Hono<AppEnv>()
  .get(
    "/:slug",
    doc({
      tag: "Public board",
      summary: "A public org, with the label, category and assignee names its public fields need",
      access: "anyone",
      response: ZPublicBoard,
      errors: [404, 429],
      etag: true,
    }),
    validate("param", ZSlugParam),
    async (c) => {
      const found = await board(c, c.req.valid("param").slug);
      return cached<TPublicBoard>(c, found, () => getPublicOrg({ ctx: publicCtx(c), input: { board: found } }));
    },
  )
  .get(
    "/:slug/tasks",
    doc({
      tag: "Public board",
      summary: "Public tasks in board order, cursor-paginated (≤ 100 per page, ≤ 1 MB); descriptions are excerpts",
      access: "anyone",
      response: ZPublicTaskPage,
      errors: [404, 429],
      etag: true,
    }),
    validate("param", ZSlugParam),
    validate("query", ZPublicTasksQuery),
    async (c) => {
      const { cursor, limit } = c.req.valid("query");
      const found = await board(c, c.req.valid("param").slug);
      return cached<TPublicTaskPage>(c, found, () =>
        listPublicTasks({ ctx: publicCtx(c), input: { board: found, cursor, limit } }),
      );
    },
  )
  .get(
    "/:slug/tasks/:number",
    doc({
      tag: "Public board",
      summary: "One public task, with its whole description",
      access: "anyone",
      response: ZPublicTask,
      errors: [404, 429],
      etag: true,
    }),
    validate("param", ZSlugParam.extend({ number: z.string().min(1).max(20) })),
    async (c) => {
      const { slug, number } = c.req.valid("param");
      const found = await board(c, slug);
      return cached<TPublicTask>(c, found, () =>
        getPublicTask({ ctx: publicCtx(c), input: { board: found, key: number } }),
      );
    },
  );
