import { codeToStatus, type TErrorCode } from "@tandem/contracts";
import { type DatabaseAvailability, databaseErrorKind } from "@tandem/database";
import { DomainError } from "@tandem/domain";
import { createLogger } from "@tandem/util/server";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The one error the HTTP edge renders; everything else is mapped onto it. */
export class ApiError extends Error {
  constructor(
    readonly code: TErrorCode,
    message: string,
    readonly extra: { field?: string; current?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const domainToCode = {
  NOT_FOUND: "NOT_FOUND",
  FORBIDDEN: "FORBIDDEN",
  CONFLICT: "CONFLICT",
  VALIDATION: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
} as const satisfies Record<DomainError["kind"], TErrorCode>;

/** The error code of an HTTP status that a library (Hono, Better Auth) answered with. */
export const httpToCode: Record<number, TErrorCode> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  422: "BAD_REQUEST",
  429: "RATE_LIMITED",
};

/** Seconds a client should wait before retrying after an outage, and after a busy answer. */
export const RETRY_AFTER = { unavailable: 5, busy: 1 } as const;

export const databaseUnavailable = () =>
  new ApiError("SERVICE_UNAVAILABLE", "The database is unavailable; retry shortly", {
    retryAfterSeconds: RETRY_AFTER.unavailable,
  });

// Postgres "data exception" codes that only bad input causes: NUL or bytes the encoding
// cannot hold, text that is not a valid value of the column's type, a value out of range.
const INPUT_SQLSTATES = new Set(["22021", "22P05", "22P02", "22001", "22003"]);

/** The SQLSTATE of a database error, wrapped (Drizzle's `cause`) or not. */
function sqlState(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

function toApiError(error: unknown, availability: DatabaseAvailability | undefined): ApiError | null {
  if (error instanceof ApiError) return error;
  const state = sqlState(error);
  if (state && INPUT_SQLSTATES.has(state))
    return new ApiError("BAD_REQUEST", "The request contains a value that cannot be stored");
  if (error instanceof DomainError) {
    return new ApiError(domainToCode[error.kind], error.message, {
      field: error.details?.field,
      current: error.details?.current,
      retryAfterSeconds: error.kind === "UNAVAILABLE" ? RETRY_AFTER.busy : undefined,
    });
  }
  // An outage marks the database down (later requests fail fast); a lock or statement
  // timeout is this request's alone.
  const kind = availability ? availability.report(error) : databaseErrorKind(error);
  if (kind === "unavailable") return databaseUnavailable();
  if (kind === "busy") {
    return new ApiError("SERVICE_UNAVAILABLE", "The database is busy; retry shortly", {
      retryAfterSeconds: RETRY_AFTER.busy,
    });
  }
  if (error instanceof HTTPException) {
    const code = httpToCode[error.status];
    return code ? new ApiError(code, error.message || "Bad request") : null;
  }
  return null;
}

function describe(error: unknown): unknown {
  if (!(error instanceof Error)) return String(error);
  return {
    name: error.name,
    message: error.message,
    stack: error.stack,
    cause: error.cause ? describe(error.cause) : undefined,
  };
}

const fallbackLogger = createLogger({ service: "backend" });

/** Renders `{ error: { code, message, requestId } }`; unexpected errors never leak details. */
export function renderError(error: unknown, c: Context): Response {
  const requestId = (c.get("requestId") as string | undefined) ?? "unknown";
  const deps = c.get("deps") as { logger?: typeof fallbackLogger; database?: DatabaseAvailability } | undefined;
  const apiError = toApiError(error, deps?.database);
  const logger = deps?.logger ?? fallbackLogger;
  if (apiError?.code === "SERVICE_UNAVAILABLE" && !(error instanceof ApiError)) {
    logger.warn("database unavailable", {
      requestId,
      path: c.req.path,
      error: error instanceof Error ? error.message : String(error),
    });
  }
  if (!apiError) {
    logger.error("unhandled error", {
      requestId,
      path: c.req.path,
      error: describe(error),
    });
  }
  const { code, message, extra } = apiError ?? new ApiError("INTERNAL", "Internal server error");
  const body = {
    error: { code, message, requestId, ...(extra.field ? { field: extra.field } : {}) },
    ...(extra.current !== undefined ? { current: extra.current } : {}),
  };
  if (extra.retryAfterSeconds !== undefined) c.header("Retry-After", String(extra.retryAfterSeconds));
  return c.json(body, codeToStatus[code] as ContentfulStatusCode);
}
