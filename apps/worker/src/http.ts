import type { DatabaseAvailability } from "@tandem/database";
import type { Logger } from "@tandem/util/server";
import { Hono } from "hono";
import { requestId } from "hono/request-id";

type Env = { Variables: { requestId: string } };

/** Seconds GitHub (or any client) should wait; GitHub itself redelivers failed deliveries. */
const RETRY_AFTER_SECONDS = 5;

/**
 * The worker's HTTP shell: liveness and readiness, errors in the API's shape, and 503 while
 * the database is down, so a webhook is refused (and redelivered) rather than lost or 500.
 */
export function workerHttp(deps: { availability: DatabaseAvailability; logger: Logger }) {
  const unavailable = (c: { var: { requestId: string }; header: (name: string, value: string) => void }) => {
    c.header("Retry-After", String(RETRY_AFTER_SECONDS));
    return {
      error: {
        code: "SERVICE_UNAVAILABLE",
        message: "The database is unavailable; retry shortly",
        requestId: c.var.requestId,
      },
    };
  };
  return new Hono<Env>()
    .use(requestId({ limitLength: 64 }))
    .onError((error, c) => {
      if (deps.availability.report(error)) {
        deps.logger.warn("database unavailable", { path: c.req.path, error: String(error) });
        return c.json(unavailable(c), 503);
      }
      deps.logger.error("unhandled error", { path: c.req.path, error: String(error) });
      return c.json({ error: { code: "INTERNAL", message: "Internal server error", requestId: c.var.requestId } }, 500);
    })
    .get("/health", (c) => c.json({ status: "ok" }))
    .get("/health/ready", async (c) => {
      const ready = await deps.availability.check();
      return c.json({ status: ready ? "ok" : "fail", checks: { database: ready ? "ok" : "fail" } }, ready ? 200 : 503);
    })
    .use("/webhooks/*", async (c, next) => {
      if (!deps.availability.ok()) return c.json(unavailable(c), 503);
      await next();
    });
}
