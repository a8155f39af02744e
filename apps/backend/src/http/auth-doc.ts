import type { Auth } from "@tandem/auth";

type Json = Record<string, unknown>;
type Who = "anyone" | "optional" | "signedIn";

/**
 * Better Auth's routes the board uses, described by Better Auth's own OpenAPI plugin and
 * merged into the API's document under `/api/auth`. The rest of its routes are mounted too
 * but are not part of the documented contract.
 */
type AuthOperation = {
  path: string;
  method: "get" | "post";
  summary: string;
  who: Who;
  errors: number[];
  /** Properties of the success body Better Auth sends as null although its schema says otherwise. */
  nullable?: string[];
};

const AUTH_OPERATIONS: AuthOperation[] = [
  {
    path: "/sign-up/email",
    method: "post",
    summary: "Create an account (does not sign in)",
    who: "anyone",
    errors: [],
  },
  {
    path: "/sign-in/email",
    method: "post",
    summary: "Sign in with e-mail and password; sets the session cookie",
    who: "anyone",
    errors: [401],
  },
  {
    path: "/sign-in/social",
    method: "post",
    summary: "Start a sign-in with GitHub: answers the URL to send the browser to",
    who: "anyone",
    errors: [404],
  },
  {
    path: "/get-session",
    method: "get",
    summary: "The current session and user, or null",
    who: "optional",
    errors: [],
  },
  { path: "/sign-out", method: "post", summary: "End the current session", who: "signedIn", errors: [] },
  {
    path: "/send-verification-email",
    method: "post",
    summary: "Send (again) the e-mail that verifies an address",
    who: "optional",
    errors: [],
  },
  {
    path: "/verify-email",
    method: "get",
    summary: "Follow the verification link: verifies the address, signs in, redirects to `callbackURL`",
    who: "anyone",
    errors: [401],
    // Without `callbackURL` it answers JSON, with no user unless it signed one in.
    nullable: ["user"],
  },
  {
    path: "/request-password-reset",
    method: "post",
    summary: "Mail a password-reset link (the same answer whether the address has an account or not)",
    who: "anyone",
    errors: [403],
  },
  {
    path: "/reset-password",
    method: "post",
    summary: "Set a new password with the token from the link; ends every session of the account",
    who: "anyone",
    errors: [400],
  },
];

const ERROR_NAMES: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  413: "PayloadTooLarge",
  429: "RateLimited",
  503: "ServiceUnavailable",
};

/** OpenAPI 3.0's `nullable: true` (which Better Auth writes) as 3.1's `type: [T, "null"]`. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (!value || typeof value !== "object") return value;
  const { nullable, ...rest } = value as Json;
  const out: Json = {};
  for (const [key, child] of Object.entries(rest)) {
    out[key] =
      key === "$ref" && typeof child === "string"
        ? child.replace("#/components/schemas/", "#/components/schemas/Auth")
        : normalise(child);
  }
  if (nullable === true) return nullableOf(out);
  return out;
}

function nullableOf(schema: Json): Json {
  // A `$ref` with a sibling `type` (as Better Auth writes them) is the referenced schema alone.
  if (schema.$ref) return { anyOf: [{ $ref: schema.$ref }, { type: "null" }] };
  if (typeof schema.type === "string") return { ...schema, type: [schema.type, "null"] };
  return schema;
}

function withNullable(response: Json, names: string[]): Json {
  const schema = (response.content as Record<string, Json> | undefined)?.["application/json"]?.schema as
    | Json
    | undefined;
  const properties = schema?.properties as Record<string, Json> | undefined;
  if (!schema || !properties) return response;
  for (const name of names) {
    const property = properties[name];
    if (property) properties[name] = nullableOf(property);
  }
  return response;
}

/** Columns that Better Auth's model description marks required-or-string but stores as NULL. */
const NULLABLE_COLUMNS: Record<string, string[]> = {
  User: ["image"],
  Session: ["ipAddress", "userAgent"],
};

function authSchemas(components: Json): Json {
  const schemas = (components.schemas ?? {}) as Record<string, Json>;
  const out: Json = {};
  for (const name of ["User", "Session"]) {
    const schema = normalise(schemas[name] ?? { type: "object" }) as Json;
    const properties = { ...((schema.properties ?? {}) as Record<string, Json>) };
    for (const column of NULLABLE_COLUMNS[name] ?? []) {
      const property = properties[column];
      if (property) properties[column] = nullableOf(property);
    }
    out[`Auth${name}`] = { ...schema, properties };
  }
  return out;
}

/** The documented Better Auth operations as `/api/auth/...` paths, in the API's error shape. */
export async function authDocument(auth: Auth): Promise<{ paths: Json; schemas: Json }> {
  const generated = await auth.api.generateOpenAPISchema();
  const paths: Record<string, Json> = {};
  for (const { path, method, summary, who, errors, nullable = [] } of AUTH_OPERATIONS) {
    const operation = generated.paths[path]?.[method];
    if (!operation) throw new Error(`Better Auth no longer describes ${method.toUpperCase()} ${path}`);
    const responses = normalise(operation.responses ?? {}) as Record<string, Json>;
    const statuses = new Set([400, 429, 503, ...errors, ...(method === "post" ? [403, 413] : [])]);
    const documented: Json = {};
    for (const [status, response] of Object.entries(responses)) {
      if (Number(status) < 400) documented[status] = withNullable(response, nullable);
    }
    if (path === "/verify-email") documented[302] = { description: "Verified: redirect to `callbackURL`" };
    for (const status of [...statuses].sort()) {
      documented[status] = { $ref: `#/components/responses/${ERROR_NAMES[status]}` };
    }
    const operationId =
      typeof operation.operationId === "string"
        ? operation.operationId
        : path.replace(/[^a-z]+(\w)/gi, (_, c: string) => c.toUpperCase());
    paths[`/api/auth${path}`] = {
      ...paths[`/api/auth${path}`],
      [method]: {
        ...(normalise(operation) as Json),
        operationId,
        summary,
        tags: ["Auth"],
        security: who === "anyone" ? [] : who === "optional" ? [{ session: [] }, {}] : [{ session: [] }],
        responses: documented,
      },
    };
  }
  return { paths, schemas: authSchemas(generated.components) };
}
