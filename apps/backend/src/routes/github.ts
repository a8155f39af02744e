import { ZLinkRepoInput, ZRepoLink } from "@tandem/contracts";
import { linkRepo, listDeliveries, listRepos, requestResync, unlinkRepo } from "@tandem/domain";
import { injectTraceContext } from "@tandem/opentelemetry";
import { QUEUES } from "@tandem/queue";
import { Hono } from "hono";
import { z } from "zod";
import { doc } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";

export const githubRoutes = new Hono<AppEnv>()
  .get("/repos", doc("GitHub", "Linked repositories", z.array(ZRepoLink)), async (c) =>
    c.json(await listRepos({ ctx: c.var.ctx, input: undefined })),
  )
  .post(
    "/repos",
    doc("GitHub", "Link a repository (its token is stored encrypted, never returned)", ZRepoLink, 201),
    validate("json", ZLinkRepoInput),
    async (c) =>
      c.json(
        await linkRepo({ ctx: c.var.ctx, input: { ...c.req.valid("json"), encryptionKey: c.var.deps.encryptionKey } }),
        201,
      ),
  )
  .delete(
    "/repos/:repoId",
    doc("GitHub", "Unlink a repository", ZRepoLink),
    validate("param", z.object({ repoId: z.string().min(1).max(64) })),
    async (c) => c.json(await unlinkRepo({ ctx: c.var.ctx, input: c.req.valid("param") })),
  )
  .get(
    "/deliveries",
    doc("GitHub", "Webhook deliveries for the org's repositories (status=dead: out of retries)"),
    validate(
      "query",
      z.strictObject({
        status: z.enum(["queued", "processed", "ignored", "failed", "dead"]).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
    ),
    async (c) => c.json(await listDeliveries({ ctx: c.var.ctx, input: c.req.valid("query") })),
  )
  .post(
    "/repos/:repoId/resync",
    doc("GitHub", "Re-read the repository's issues now (reconciliation)", undefined, 202),
    validate("param", z.object({ repoId: z.string().min(1).max(64) })),
    async (c) => {
      const { repoId } = c.req.valid("param");
      await requestResync({
        ctx: c.var.ctx,
        input: {
          repoId,
          enqueue: (data) => c.var.deps.queue.send(QUEUES.githubReconcile, { ...data, trace: injectTraceContext() }),
        },
      });
      return c.json({ status: "queued", repoId }, 202);
    },
  );
