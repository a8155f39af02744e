import { ZApiKey, ZCreateApiKeyInput, ZCreatedApiKey } from "@tandem/contracts";
import { createApiKey, listApiKeys, revokeApiKey } from "@tandem/domain";
import { Hono } from "hono";
import { z } from "zod";
import { doc } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";

const ZKeyParam = z.object({ keyId: z.string().min(1).max(64) });

export const apiKeyRoutes = new Hono<AppEnv>()
  .get(
    "/",
    doc({
      tag: "API keys",
      summary: "List the org's API keys with when each was last used (never the keys)",
      access: "admin.manageSettings",
      response: z.array(ZApiKey),
    }),
    async (c) => c.json(await listApiKeys({ ctx: c.var.ctx, input: undefined })),
  )
  .post(
    "/",
    doc({
      tag: "API keys",
      summary: "Create an API key",
      description:
        "The key is in this response only; it is stored hashed. Its permissions must be ones the caller holds.",
      access: "admin.manageSettings",
      response: ZCreatedApiKey,
      status: 201,
    }),
    validate("json", ZCreateApiKeyInput),
    async (c) => c.json(await createApiKey({ ctx: c.var.ctx, input: c.req.valid("json") }), 201),
  )
  .delete(
    "/:keyId",
    doc({
      tag: "API keys",
      summary: "Revoke an API key",
      description: "The next request with the key gets 401, and its open WebSockets are closed (4401).",
      access: "admin.manageSettings",
      response: ZApiKey,
    }),
    validate("param", ZKeyParam),
    async (c) => c.json(await revokeApiKey({ ctx: c.var.ctx, input: c.req.valid("param") })),
  );
