import {
  type TPublicBoard,
  type TPublicProjectList,
  type TPublicTask,
  type TPublicTaskPage,
  ZPublicBoard,
  ZPublicProjectList,
  ZPublicTask,
  ZPublicTaskPage,
  ZPublicTasksQuery,
} from "@tandem/contracts";
import {
  getPublicOrg,
  getPublicTask,
  listPublicProjectsOf,
  listPublicTasks,
  loadPublicBoard,
  loadPublicOrg,
  type PublicBoard,
} from "@tandem/domain";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { type DocOptions, doc } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import { serveSnapshot } from "../http/snapshot-response.ts";
import { validate } from "../http/validate.ts";
import { publicCtx } from "../middleware/org.ts";

const ZSlugParam = z.object({ slug: z.string().min(1).max(64) });
const ZProjectParam = ZSlugParam.extend({ projectKey: z.string().min(1).max(64) });
const ZNumberParam = z.object({ number: z.string().min(1).max(20) });

/** A project's board, or (no key) the org's first public project's: the address boards had before projects. */
function board(c: Context<AppEnv>, slug: string, projectKey?: string): Promise<PublicBoard> {
  const key = projectKey ? `${slug}/${projectKey.toUpperCase()}` : slug;
  return c.var.deps.boards.get(key, () => loadPublicBoard({ ctx: publicCtx(c), input: { slug, projectKey } }));
}

/** Anonymous readers are many and identical: after the first, a read costs one indexed lookup of the org and its seq. */
function cached<T>(
  c: Context<AppEnv>,
  board: { org: { id: string }; seq: number },
  build: () => Promise<unknown> | unknown,
) {
  return serveSnapshot<T>(c, {
    key: `public:${board.org.id}:${c.req.path}?${new URL(c.req.url).searchParams}`,
    seq: board.seq,
    cacheControl: "public, no-cache",
    build,
  });
}

const BOARD_DOC: Pick<DocOptions, "tag" | "access" | "errors" | "etag"> = {
  tag: "Public board",
  access: "anyone",
  errors: [404, 429],
  etag: true,
};

/**
 * Anonymous read-only boards: an org's public projects, and each one's public tasks with the
 * project's chosen public fields only. `/:slug/…` without a project is the first public project's.
 */
export const publicRoutes = new Hono<AppEnv>()
  .get(
    "/:slug/projects",
    doc({
      ...BOARD_DOC,
      summary: "An org's public projects (when it allows public boards)",
      response: ZPublicProjectList,
    }),
    validate("param", ZSlugParam),
    async (c) => {
      const { slug } = c.req.valid("param");
      const found = await loadPublicOrg({ ctx: publicCtx(c), input: { slug } });
      return cached<TPublicProjectList>(c, found, () =>
        listPublicProjectsOf({ ctx: publicCtx(c), input: { org: found.org } }),
      );
    },
  )
  .get(
    "/:slug/projects/:projectKey",
    doc({
      ...BOARD_DOC,
      summary: "A public project's board: the org, the project, its states (columns) and the names its fields need",
      response: ZPublicBoard,
    }),
    validate("param", ZProjectParam),
    async (c) => {
      const { slug, projectKey } = c.req.valid("param");
      const found = await board(c, slug, projectKey);
      return cached<TPublicBoard>(c, found, () => getPublicOrg({ ctx: publicCtx(c), input: { board: found } }));
    },
  )
  .get(
    "/:slug/projects/:projectKey/tasks",
    doc({
      ...BOARD_DOC,
      summary: "A public project's public tasks in board order, cursor-paginated (≤ 100 per page, ≤ 1 MB)",
      response: ZPublicTaskPage,
    }),
    validate("param", ZProjectParam),
    validate("query", ZPublicTasksQuery),
    async (c) => {
      const { slug, projectKey } = c.req.valid("param");
      const { cursor, limit } = c.req.valid("query");
      const found = await board(c, slug, projectKey);
      return cached<TPublicTaskPage>(c, found, () =>
        listPublicTasks({ ctx: publicCtx(c), input: { board: found, cursor, limit } }),
      );
    },
  )
  .get(
    "/:slug/projects/:projectKey/tasks/:number",
    doc({ ...BOARD_DOC, summary: "One public task of a public project (number or key)", response: ZPublicTask }),
    validate("param", ZProjectParam.extend(ZNumberParam.shape)),
    async (c) => {
      const { slug, projectKey, number } = c.req.valid("param");
      const found = await board(c, slug, projectKey);
      return cached<TPublicTask>(c, found, () =>
        getPublicTask({ ctx: publicCtx(c), input: { board: found, key: number } }),
      );
    },
  )
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
    validate("param", ZSlugParam.extend(ZNumberParam.shape)),
    async (c) => {
      const { slug, number } = c.req.valid("param");
      const found = await board(c, slug);
      return cached<TPublicTask>(c, found, () =>
        getPublicTask({ ctx: publicCtx(c), input: { board: found, key: number } }),
      );
    },
  );
