import { ZEventPage, ZEventsQuery } from "@tandem/contracts";
import { listEvents } from "@tandem/domain";
import { Hono } from "hono";
import { doc } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";

export const eventRoutes = new Hono<AppEnv>().get(
  "/",
  doc({
    tag: "Events",
    summary: "The org's event log after a sequence number (catch-up)",
    access: "member",
    response: ZEventPage,
  }),
  validate("query", ZEventsQuery),
  async (c) => c.json(await listEvents({ ctx: c.var.ctx, input: c.req.valid("query") })),
);
