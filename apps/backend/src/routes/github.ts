import { githubAccessToken } from "@tandem/auth";
import {
  ZClaimInstallationInput,
  ZGithubInstallation,
  ZLinkRepoInput,
  ZRepoLink,
  ZRepoLinkWithSecret,
} from "@tandem/contracts";
import {
  claimGithubInstallation,
  linkRepo,
  listDeliveries,
  listGithubInstallations,
  listRepos,
  releaseGithubInstallation,
  requestResync,
  rotateWebhookSecret,
  unlinkRepo,
} from "@tandem/domain";
import { injectTraceContext } from "@tandem/opentelemetry";
import { QUEUES } from "@tandem/queue";
import { Hono } from "hono";
import { z } from "zod";
import { doc } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";
import { currentUser } from "../middleware/session.ts";

const ZRepoParam = z.object({ repoId: z.string().min(1).max(64) });

export const githubRoutes = new Hono<AppEnv>()
  .get("/repos", doc("GitHub", "Linked repositories", z.array(ZRepoLink)), async (c) =>
    c.json(await listRepos({ ctx: c.var.ctx, input: { config: c.var.deps.github } })),
  )
  .post(
    "/repos",
    doc(
      "GitHub",
      "Link a repository: answers its delivery URL and webhook secret (shown once); a token is checked on GitHub and stored sealed",
      ZRepoLinkWithSecret,
      201,
    ),
    validate("json", ZLinkRepoInput),
    async (c) =>
      c.json(await linkRepo({ ctx: c.var.ctx, input: { ...c.req.valid("json"), config: c.var.deps.github } }), 201),
  )
  .post(
    "/repos/:repoId/webhook-secret",
    doc(
      "GitHub",
      "Rotate the link's webhook secret: the new one is shown once, the old one stops at once",
      ZRepoLinkWithSecret,
    ),
    validate("param", ZRepoParam),
    async (c) =>
      c.json(
        await rotateWebhookSecret({ ctx: c.var.ctx, input: { ...c.req.valid("param"), config: c.var.deps.github } }),
      ),
  )
  .delete("/repos/:repoId", doc("GitHub", "Unlink a repository", ZRepoLink), validate("param", ZRepoParam), async (c) =>
    c.json(await unlinkRepo({ ctx: c.var.ctx, input: { ...c.req.valid("param"), config: c.var.deps.github } })),
  )
  .get(
    "/deliveries",
    doc("GitHub", "Webhook deliveries verified for the org's links (status=dead: out of retries)"),
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
    validate("param", ZRepoParam),
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
  )
  .get(
    "/installations",
    doc("GitHub", "GitHub App installations the org has claimed", z.array(ZGithubInstallation)),
    async (c) => c.json(await listGithubInstallations({ ctx: c.var.ctx, input: undefined })),
  )
  .post(
    "/installations",
    doc(
      "GitHub",
      "Claim a GitHub App installation: it must exist (asked as the App) and the caller, signed in with GitHub, must have access to it (GET /user/installations with their token)",
      ZGithubInstallation,
      201,
    ),
    validate("json", ZClaimInstallationInput),
    async (c) =>
      c.json(
        await claimGithubInstallation({
          ctx: c.var.ctx,
          input: {
            installationId: c.req.valid("json").installationId,
            api: c.var.deps.github.api,
            userToken: await githubAccessToken(c.var.deps.auth, currentUser(c).id),
          },
        }),
        201,
      ),
  )
  .delete(
    "/installations/:installationId",
    doc("GitHub", "Release a claimed installation: its deliveries reach nobody", ZGithubInstallation),
    validate("param", z.object({ installationId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) })),
    async (c) => c.json(await releaseGithubInstallation({ ctx: c.var.ctx, input: c.req.valid("param") })),
  );
