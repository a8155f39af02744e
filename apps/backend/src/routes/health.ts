import { Hono } from "hono";
import { describeRoute, resolver } from "hono-openapi";
import { z } from "zod";
import type { AppEnv } from "../http/env.ts";

const ZLive = z.object({ status: z.literal("ok") });
const ZReady = z.object({
  status: z.enum(["ok", "fail"]),
  checks: z.record(z.string(), z.enum(["ok", "fail"])),
});
const json = (schema: z.ZodType) => ({ "application/json": { schema: resolver(schema) } });

export const healthRoutes = new Hono<AppEnv>()
  .get(
    "/health",
    describeRoute({
      tags: ["Health"],
      summary: "Liveness: the process answers",
      security: [],
      responses: { 200: { description: "Alive", content: json(ZLive) } },
    }),
    (c) => c.json({ status: "ok" } satisfies z.infer<typeof ZLive>),
  )
  .get(
    "/health/ready",
    describeRoute({
      tags: ["Health"],
      summary: "Readiness: the database, the queue and the file storage answer",
      security: [],
      responses: {
        200: { description: "Ready", content: json(ZReady) },
        503: { description: "Not ready: `checks` says which dependency failed", content: json(ZReady) },
      },
    }),
    async (c) => {
      const checks = await c.var.deps.readiness();
      const ready = Object.values(checks).every((state) => state === "ok");
      return c.json({ status: ready ? "ok" : "fail", checks } satisfies z.infer<typeof ZReady>, ready ? 200 : 503);
    },
  );
