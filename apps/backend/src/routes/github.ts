import { githubAccessToken } from "@tandem/auth";
import {
  DELIVERY_STATUSES,
  type TResyncQueued,
  ZClaimInstallationInput,
  ZDelivery,
  ZGithubInstallation,
  ZLinkRepoInput,
  ZRepoLink,
  ZRepoLinkWithSecret,
  ZResyncQueued,
  ZUpdateRepoLinkInput,
} from "@tandem/contracts";
import {
  claimGithubInstallation,
  linkRepo,
  listDeliveries,
  listGithubInstallations,
  listRepos,
  releaseGithubInstallation,
  requestResync,
  retryDelivery,
  rotateWebhookSecret,
  unlinkRepo,
  updateRepo,
} from "@tandem/domain";
import { Hono } from "hono";
import { z } from "zod";
import { doc } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";
import { currentUser } from "../middleware/session.ts";

const ZRepoParam = z.object({ repoId: z.string().min(1).max(64) });

export const githubRoutes = new Hono<AppEnv>()
  .get(
    "/repos",
    doc({
      tag: "GitHub",
      summary: "Linked repositories",
      access: "admin.manageSettings",
      response: z.array(ZRepoLink),
    }),
    async (c) => c.json(await listRepos({ ctx: c.var.ctx, input: undefined })),
  )
  .post(
    "/repos",
    doc({
      tag: "GitHub",
      summary: "Link a repository",
      description:
        "Answers its delivery URL and webhook secret (shown once); a token is checked on GitHub and stored sealed.",
      access: "admin.manageSettings",
      response: ZRepoLinkWithSecret,
      status: 201,
      errors: [409],
    }),
    validate("json", ZLinkRepoInput),
    async (c) => c.json(await linkRepo({ ctx: c.var.ctx, input: c.req.valid("json") }), 201),
  )
  .post(
    "/repos/:repoId/webhook-secret",
    doc({
      tag: "GitHub",
      summary: "Rotate the link's webhook secret",
      description: "The new secret is shown once; the old one stops working at once.",
      access: "admin.manageSettings",
      response: ZRepoLinkWithSecret,
    }),
    validate("param", ZRepoParam),
    async (c) => c.json(await rotateWebhookSecret({ ctx: c.var.ctx, input: c.req.valid("param") })),
  )
  .patch(
    "/repos/:repoId",
    doc({
      tag: "GitHub",
      summary: "Change a link's project (id or key: where new issues land), category or enabled switch",
      access: "admin.manageSettings",
      response: ZRepoLink,
    }),
    validate("param", ZRepoParam),
    validate("json", ZUpdateRepoLinkInput),
    async (c) =>
      c.json(
        await updateRepo({
          ctx: c.var.ctx,
          input: { repoId: c.req.valid("param").repoId, patch: c.req.valid("json") },
        }),
      ),
  )
  .delete(
    "/repos/:repoId",
    doc({ tag: "GitHub", summary: "Unlink a repository", access: "admin.manageSettings", response: ZRepoLink }),
    validate("param", ZRepoParam),
    async (c) => c.json(await unlinkRepo({ ctx: c.var.ctx, input: c.req.valid("param") })),
  )
  .get(
    "/deliveries",
    doc({
      tag: "GitHub",
      summary: "Webhook deliveries verified for the org's links (status=dead: out of retries)",
      access: "admin.manageSettings",
      response: z.array(ZDelivery),
    }),
    validate(
      "query",
      z.strictObject({
        status: z.enum(DELIVERY_STATUSES).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
    ),
    async (c) => c.json(await listDeliveries({ ctx: c.var.ctx, input: c.req.valid("query") })),
  )
  .post(
    "/deliveries/:deliveryId/retry",
    doc({
      tag: "GitHub",
      summary: "Retry a dead delivery: its job gets one more attempt (409 unless it is dead)",
      access: "admin.manageSettings",
      response: ZDelivery,
      errors: [404, 409],
    }),
    validate("param", z.object({ deliveryId: z.string().min(1).max(100) })),
    async (c) =>
      c.json(await retryDelivery({ ctx: c.var.ctx, input: { deliveryId: c.req.valid("param").deliveryId } })),
  )
  .post(
    "/repos/:repoId/resync",
    doc({
      tag: "GitHub",
      summary: "Re-read the repository's issues now (reconciliation)",
      access: "admin.manageSettings",
      response: ZResyncQueued,
      status: 202,
    }),
    validate("param", ZRepoParam),
    async (c) => {
      const { repoId } = c.req.valid("param");
      await requestResync({ ctx: c.var.ctx, input: { repoId } });
      return c.json({ status: "queued", repoId } satisfies TResyncQueued, 202);
    },
  )
  .get(
    "/installations",
    doc({
      tag: "GitHub",
      summary: "GitHub App installations the org has claimed",
      access: "admin.manageSettings",
      response: z.array(ZGithubInstallation),
    }),
    async (c) => c.json(await listGithubInstallations({ ctx: c.var.ctx, input: undefined })),
  )
  .post(
    "/installations",
    doc({
      tag: "GitHub",
      summary:
        "Claim a GitHub App installation: it must exist (asked as the App) and the caller, signed in with GitHub, must have access to it (GET /user/installations with their token)",
      access: "admin.manageSettings",
      response: ZGithubInstallation,
      status: 201,
      errors: [409],
    }),
    validate("json", ZClaimInstallationInput),
    async (c) =>
      c.json(
        await claimGithubInstallation({
          ctx: c.var.ctx,
          input: {
            installationId: c.req.valid("json").installationId,
            userToken: await githubAccessToken(c.var.deps.auth, currentUser(c).id),
          },
        }),
        201,
      ),
  )
  .delete(
    "/installations/:installationId",
    doc({
      tag: "GitHub",
      summary: "Release a claimed installation: its deliveries reach nobody",
      access: "admin.manageSettings",
      response: ZGithubInstallation,
    }),
    validate("param", z.object({ installationId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) })),
    async (c) => c.json(await releaseGithubInstallation({ ctx: c.var.ctx, input: c.req.valid("param") })),
  );
