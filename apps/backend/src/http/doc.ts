import type { StandardSchemaV1 } from "@standard-schema/spec";
import { type TPermission, ZErrorBody } from "@tandem/contracts";
import { type DescribeRouteOptions, describeRoute, type ResponsesWithResolver, resolver } from "hono-openapi";
import type { z } from "zod";

/**
 * Who may call an operation, as the permission matrix says it (test/permission-matrix.ts):
 * anyone, any signed-in user, any member of the org, the comment's author (or an
 * administrator), or members holding a permission.
 */
export type Access = "anyone" | "signedIn" | "member" | "author" | TPermission;

/** Statuses an operation answers beyond those its kind implies (see `errorsFor`). */
export type ExtraError = 403 | 404 | 409 | 413 | 429;

export type DocOptions = {
  tag: string;
  summary: string;
  description?: string;
  access: Access;
  /** The success body: a JSON schema, a file download, or nothing. */
  response?: StandardSchemaV1 | "file";
  status?: 200 | 201 | 202;
  errors?: ExtraError[];
  /** The body a 409 carries as `current` (the record as it is now). */
  conflictCurrent?: z.ZodType;
  /** Answers 304 when `If-None-Match` repeats the ETag it sent. */
  etag?: boolean;
  requestBody?: DescribeRouteOptions["requestBody"];
};

/** The cookie Better Auth sets on sign-in (`__Secure-` prefixed when served over HTTPS). */
export const SESSION_SCHEME = {
  type: "apiKey",
  in: "cookie",
  name: "better-auth.session_token",
  description:
    "The session cookie set by `POST /api/auth/sign-in/email` (named `__Secure-better-auth.session_token` when the API is served over HTTPS).",
} as const;

/** An org's API key (SPEC §15), accepted on every `/api/orgs/:orgId/…` route. */
export const API_KEY_SCHEME = {
  type: "http",
  scheme: "bearer",
  bearerFormat: "tdm_…",
  description:
    "An API key created in the org's settings (`POST /api/orgs/:orgId/api-keys`), sent as `Authorization: Bearer tdm_…`. It acts in its own org only, with its own permission set, and is rate limited per key (`API_KEY_RATE_LIMIT`, 429 with `Retry-After`).",
} as const;

/** Org routes take a session or an API key; routes outside an org need a session. */
function securityFor(access: Access): Record<string, string[]>[] {
  if (access === "anyone") return [];
  if (access === "signedIn") return [{ session: [] }];
  return [{ session: [] }, { apiKey: [] }];
}

const ref = (name: string) => ({ $ref: `#/components/responses/${name}` });

/** The statuses every operation of a kind can answer, each one of the shared responses below. */
export function errorsFor(access: Access, extra: ExtraError[] = []): Record<number, { $ref: string }> {
  const statuses = new Set<number>([400, 503, ...extra]);
  if (access !== "anyone") statuses.add(401);
  if (access !== "anyone" && access !== "signedIn") statuses.add(404);
  if (access !== "anyone" && access !== "signedIn" && access !== "member") statuses.add(403);
  return Object.fromEntries([...statuses].sort().map((status) => [status, ref(ERROR_RESPONSE_NAMES[status] ?? "")]));
}

const ERROR_RESPONSE_NAMES: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  409: "Conflict",
  413: "PayloadTooLarge",
  429: "RateLimited",
  503: "ServiceUnavailable",
};

function accessText(access: Access): string {
  if (access === "anyone") return "No session needed.";
  if (access === "signedIn") return "Any signed-in user.";
  if (access === "member") return "Any member of the org; others get 404.";
  if (access === "author") return "The comment's author, or an administrator.";
  return `Members holding \`${access}\` (or \`admin.administrator\`).`;
}

/**
 * OpenAPI description of one route: its tag, summary, who may call it (security and the
 * 401/403/404 that follow), the success body, and the standard error responses of its kind.
 * Writes also get 403 (cross-origin) and 413 (body too large) from `methodDefaults`.
 */
export function doc(options: DocOptions) {
  const status = options.status ?? 200;
  const success: ResponsesWithResolver[string] =
    options.response === "file"
      ? {
          description: "The file's bytes, with its content type",
          content: { "*/*": { schema: { type: "string" as const, format: "binary" } } },
        }
      : {
          description: "Success",
          ...(options.response ? { content: { "application/json": { schema: resolver(options.response) } } } : {}),
        };
  const responses: ResponsesWithResolver = {
    [status]: success,
    ...errorsFor(options.access, options.errors),
  };
  if (options.etag) responses[304] = { description: "Not modified: `If-None-Match` matched the current ETag" };
  if (options.conflictCurrent) {
    responses[409] = {
      description: "Conflict: the record changed since the caller read it; `current` is how it is now",
      content: {
        "application/json": { schema: resolver(ZErrorBody.extend({ current: options.conflictCurrent })) },
      },
    };
  }
  return describeRoute({
    tags: [options.tag],
    summary: options.summary,
    description: [options.description, accessText(options.access)].filter(Boolean).join("\n\n"),
    security: securityFor(options.access),
    ...(options.requestBody ? { requestBody: options.requestBody } : {}),
    responses,
  });
}

/** A `multipart/form-data` request body for the OpenAPI document: its fields and which are required. */
export function multipartBody(
  properties: Record<string, { type: "string"; format?: "binary"; enum?: string[]; description?: string }>,
  required: string[],
): NonNullable<DescribeRouteOptions["requestBody"]> {
  return { required: true, content: { "multipart/form-data": { schema: { type: "object", properties, required } } } };
}
