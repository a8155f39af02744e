import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";

export const healthRoutes = new Hono<AppEnv>()
  .get("/health", (c) => c.json({ status: "ok" }))
  .get("/health/ready", async (c) => {
    const checks = await c.var.deps.readiness();
    const ready = Object.values(checks).every((state) => state === "ok");
    return c.json({ status: ready ? "ok" : "fail", checks }, ready ? 200 : 503);
  });
