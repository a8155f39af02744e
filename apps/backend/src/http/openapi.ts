import { ZErrorBody } from "@tandem/contracts";
import type { Context, Hono } from "hono";
import { type GenerateSpecOptions, generateSpecs, resolver } from "hono-openapi";
import { authDocument } from "./auth-doc.ts";
import { API_KEY_SCHEME, SESSION_SCHEME } from "./doc.ts";
import type { AppEnv } from "./env.ts";

const retryAfter = {
  "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer" as const, minimum: 0 } },
};

function errorResponse(description: string, headers?: typeof retryAfter) {
  return {
    description,
    ...(headers ? { headers } : {}),
    content: { "application/json": { schema: resolver(ZErrorBody) } },
  };
}

/** One response per error status, in the one error shape; operations refer to them by name. */
const ERROR_RESPONSES = {
  BadRequest: errorResponse(
    "Bad request: invalid input; `error.field` names the parameter or body field (or `content-type`)",
  ),
  Unauthorized: errorResponse("No valid session (sign in first), or wrong credentials"),
  Forbidden: errorResponse(
    "Forbidden: the caller lacks the permission, or a write came from an Origin that is not allowed",
  ),
  NotFound: errorResponse("Not found; inside an org, also what a non-member is told"),
  Conflict: errorResponse("Conflict with the current state (a name or slug taken, a stale version, …)"),
  PayloadTooLarge: errorResponse("The request body is larger than the server accepts"),
  RateLimited: errorResponse("Too many requests from this address or for this account", retryAfter),
  ServiceUnavailable: errorResponse("The database is unavailable or busy; retry after `Retry-After`", retryAfter),
};

const writeErrors = { 403: { $ref: "#/components/responses/Forbidden" } };
const bodyErrors = { ...writeErrors, 413: { $ref: "#/components/responses/PayloadTooLarge" } };

const OPTIONS: Partial<GenerateSpecOptions> = {
  documentation: {
    info: {
      title: "Tandem API",
      version: "1.0.0",
      description:
        "Real-time collaborative task boards. Every error, Better Auth's included, answers `{ error: { code, message, requestId, field? } }` (a 409 on a stale edit adds `current`). Sign in with `POST /api/auth/sign-in/email`; the session cookie it sets authenticates the rest. Live changes arrive over the WebSocket at `/ws` (see the docs' protocol page).",
      // No licence is granted: the repository carries none (LicenseRef: SPDX's form for that).
      license: { name: "Proprietary (all rights reserved)", identifier: "LicenseRef-Proprietary" },
    },
    // Relative: the API is described where it is served, whatever host or proxy is in front.
    servers: [{ url: "/", description: "This server" }],
    tags: [
      { name: "Auth", description: "Better Auth under `/api/auth`, and the sign-in methods on offer" },
      { name: "Me", description: "The signed-in user" },
      { name: "Organizations", description: "Orgs and their settings" },
      { name: "Members", description: "An org's members" },
      { name: "Invites", description: "Invitations to join an org" },
      { name: "Teams", description: "Teams and the permissions they grant" },
      { name: "Labels", description: "Labels of an org" },
      { name: "Categories", description: "Categories of an org" },
      { name: "Tasks", description: "Tasks on the board" },
      { name: "Comments", description: "Comments on tasks" },
      { name: "Attachments", description: "Files attached to tasks" },
      { name: "Notifications", description: "Your inbox, notification preferences, watching tasks, unsubscribing" },
      { name: "Events", description: "The org's event log (catch-up after a disconnection)" },
      { name: "GitHub", description: "Repository links, App installations and webhook deliveries" },
      { name: "Public board", description: "An org's anonymous read-only board" },
      { name: "Health", description: "Liveness and readiness" },
    ],
    components: {
      securitySchemes: { session: SESSION_SCHEME, apiKey: API_KEY_SCHEME },
      responses: ERROR_RESPONSES,
    },
  },
  // The one error shape is documented per operation by `doc()`; the library's own 400 is not ours.
  defaultValidationErrorResponse: false,
  // Any write may be refused for its Origin; a write with a body for its size.
  defaultOptions: {
    POST: { responses: bodyErrors },
    PUT: { responses: bodyErrors },
    PATCH: { responses: bodyErrors },
    DELETE: { responses: writeErrors },
  },
  exclude: ["/ws", "/api/openapi.json", "/api/docs", "/api/docs/scalar.js"],
};

/** Builds the document once: the app's routes, then Better Auth's, in one error shape. */
export async function buildOpenApiDocument(app: Hono<AppEnv>, c: Context<AppEnv>) {
  const spec = await generateSpecs(app, OPTIONS, c);
  const auth = await authDocument(c.var.deps.auth);
  return {
    ...spec,
    paths: { ...auth.paths, ...spec.paths },
    components: { ...spec.components, schemas: { ...spec.components.schemas, ...auth.schemas } },
  };
}

/** `GET /api/openapi.json`, generated on the first request from the routes registered on `app`. */
export function openApiRoute(app: Hono<AppEnv>) {
  let document: Promise<unknown> | null = null;
  return async (c: Context<AppEnv>) => {
    document ??= buildOpenApiDocument(app, c).catch((error: unknown) => {
      document = null;
      throw error;
    });
    return c.json(await document);
  };
}
