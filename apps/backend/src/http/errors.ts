import { codeToStatus, type TErrorCode } from "@tandem/contracts";
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
    readonly extra: { field?: string; current?: unknown } = {},
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
} as const satisfies Record<DomainError["kind"], TErrorCode>;

const httpToCode: Record<number, TErrorCode> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  429: "RATE_LIMITED",
};

function toApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  if (error instanceof DomainError) {
    return new ApiError(domainToCode[error.kind], error.message, {
      field: error.details?.field,
      current: error.details?.current,
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
  const apiError = toApiError(error);
  if (!apiError) {
    const logger = (c.get("deps") as { logger?: typeof fallbackLogger } | undefined)?.logger ?? fallbackLogger;
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
  return c.json(body, codeToStatus[code] as ContentfulStatusCode);
}
