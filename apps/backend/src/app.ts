import { httpInstrumentationMiddleware } from "@hono/otel";
import { currentTraceId } from "@tandem/opentelemetry";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { apiKeyRateLimit } from "./http/api-key-rate-limit.ts";
import type { AppEnv, Deps } from "./http/env.ts";
import { ApiError, databaseUnavailable, renderError } from "./http/errors.ts";
import { openApiRoute } from "./http/openapi.ts";
import { anonymousRateLimit } from "./http/rate-limit.ts";
import { SnapshotCache } from "./http/snapshot-cache.ts";
import { requireOrgMember } from "./middleware/org.ts";
import { refuseUnsafeText } from "./middleware/safe-text.ts";
import { sameOriginWrites } from "./middleware/same-origin.ts";
import { loadSession, requireUser } from "./middleware/session.ts";
import { upgradeRoute } from "./realtime/socket-route.ts";
import { apiKeyRoutes } from "./routes/api-keys.ts";
import { attachmentRoutes, signedFileRoutes } from "./routes/attachments.ts";
import { authRoutes } from "./routes/auth.ts";
import { docsRoutes } from "./routes/docs.ts";
import { eventRoutes } from "./routes/events.ts";
import { githubRoutes } from "./routes/github.ts";
import { healthRoutes } from "./routes/health.ts";
import { meRoutes } from "./routes/me.ts";
import { inboxRoutes, subscriptionRoutes, unsubscribeRoutes } from "./routes/notifications.ts";
import { orgRoutes } from "./routes/orgs.ts";
import { projectRoutes } from "./routes/projects.ts";
import { publicRoutes } from "./routes/public.ts";
import { relationRoutes, taskRelationRoutes } from "./routes/relations.ts";
import { categoryRoutes, labelRoutes } from "./routes/tags.ts";
import { taskRoutes } from "./routes/tasks.ts";
import { teamRoutes } from "./routes/teams.ts";
import { exportRoutes, importRoutes } from "./routes/transfer.ts";
import { viewRoutes } from "./routes/views.ts";
import { webhookRoutes } from "./routes/webhooks.ts";

export type { Deps } from "./http/env.ts";

const DATABASE_FREE_PATHS = new Set(["/api/openapi.json", "/api/docs", "/api/docs/scalar.js"]);

/**
 * The whole HTTP surface. Order matters: public routes, then the session, then routes that
 * need a user, then org-scoped routes behind the membership check.
 */
export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.onError(renderError);
  app.notFound(() => {
    throw new ApiError("NOT_FOUND", "Route not found");
  });

  const snapshots = new SnapshotCache(deps.snapshotCacheBytes ?? 64 * 1024 * 1024);
  const routes = app
    // First, so every response carries it, errors included: without it the browser hides the
    // reason behind "Failed to fetch".
    .use(cors({ origin: deps.webOrigins, credentials: true, maxAge: 600, exposeHeaders: ["X-Event-Seq"] }))
    .use(requestId({ limitLength: 64 }))
    // One server span per request, named by its route (`POST /api/orgs/:orgId/tasks`), continuing
    // an incoming `traceparent`; no-op without a registered SDK.
    .use(httpInstrumentationMiddleware({ captureActiveRequests: false }))
    .use(async (c, next) => {
      c.set("deps", deps);
      c.set("snapshots", snapshots);
      const started = performance.now();
      const traceId = currentTraceId();
      // When the handler starts, before a streamed body has arrived (tests wait on it).
      deps.logger.debug("request started", { requestId: c.var.requestId, method: c.req.method, path: c.req.path });
      await next();
      deps.logger.info("request", {
        requestId: c.var.requestId,
        traceId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    })
    .use("/api/*", sameOriginWrites(deps.webOrigins))
    .use("/api/*", async (c, next) => {
      // Uploads and imports have their own, larger limits; everything else is JSON-sized.
      const upload = c.req.method === "POST" && c.req.path.endsWith("/attachments");
      const importFile = c.req.method === "POST" && /\/imports(\/preview)?$/.test(c.req.path);
      const maxSize = upload
        ? deps.services.limits.maxBytes + 64 * 1024
        : importFile
          ? deps.importMaxBytes + 64 * 1024
          : deps.maxBodyBytes;
      // An upload is refused for the file's size, in the words the domain uses for it.
      const message = upload
        ? `Files may be at most ${deps.services.limits.maxBytes} bytes`
        : importFile
          ? `Import files may be at most ${deps.importMaxBytes} bytes`
          : `Request body exceeds ${maxSize} bytes`;
      return bodyLimit({
        maxSize,
        onError: () => {
          throw new ApiError("PAYLOAD_TOO_LARGE", message);
        },
      })(c, next);
    })
    .use("/api/*", refuseUnsafeText)
    .route("/", healthRoutes)
    .use(async (c, next) => {
      // Fail fast during an outage: everything past here needs the database (the docs do not).
      if (!deps.database.ok() && !DATABASE_FREE_PATHS.has(c.req.path)) throw databaseUnavailable();
      await next();
    })
    .get("/ws", upgradeRoute(deps.wsOrigins, deps.readSession, deps.hub))
    // Generated lazily from the routes registered on `app`, including those added below.
    .get("/api/openapi.json", openApiRoute(app))
    .route("/api/docs", docsRoutes)
    .route("/api", authRoutes)
    .use(
      "/api/public/*",
      anonymousRateLimit({
        ...(deps.publicRateLimit ?? { windowMs: 60_000, limit: 300 }),
        trustProxy: deps.trustProxy ?? false,
      }),
    )
    .route("/api/public/orgs", publicRoutes)
    .route("/api/files", signedFileRoutes)
    .route("/api/notifications", unsubscribeRoutes)
    .use("/api/*", loadSession, apiKeyRateLimit(deps.apiKeyRateLimit ?? { window: 10, max: 60 }), requireUser)
    .route("/api", meRoutes)
    .route("/api/me", inboxRoutes)
    .use("/api/orgs/:orgId", requireOrgMember)
    .use("/api/orgs/:orgId/*", requireOrgMember)
    .route("/api/orgs/:orgId", orgRoutes)
    .route("/api/orgs/:orgId/teams", teamRoutes)
    .route("/api/orgs/:orgId/api-keys", apiKeyRoutes)
    .route("/api/orgs/:orgId/labels", labelRoutes)
    .route("/api/orgs/:orgId/categories", categoryRoutes)
    .route("/api/orgs/:orgId/projects", projectRoutes)
    .route("/api/orgs/:orgId/tasks", taskRoutes)
    .route("/api/orgs/:orgId/tasks/:taskId/attachments", attachmentRoutes)
    .route("/api/orgs/:orgId/tasks/:taskId/relations", taskRelationRoutes)
    .route("/api/orgs/:orgId/relations", relationRoutes)
    .route("/api/orgs/:orgId/views", viewRoutes)
    .route("/api/orgs/:orgId/tasks/:taskId", subscriptionRoutes)
    .route("/api/orgs/:orgId/events", eventRoutes)
    .route("/api/orgs/:orgId/github", githubRoutes)
    .route("/api/orgs/:orgId/export", exportRoutes)
    .route("/api/orgs/:orgId/imports", importRoutes)
    .route("/api/orgs/:orgId/webhooks", webhookRoutes);

  return routes;
}

export type AppType = ReturnType<typeof createApp>;
