import { z } from "zod";

export const ERROR_CODES = [
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "PAYLOAD_TOO_LARGE",
  "RATE_LIMITED",
  "INTERNAL",
  "SERVICE_UNAVAILABLE",
] as const;
export type TErrorCode = (typeof ERROR_CODES)[number];

export const codeToStatus = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
} as const satisfies Record<TErrorCode, number>;

/**
 * The one error shape every API route answers with, Better Auth's `/api/auth/*` included.
 * `field` names the offending input; `current` (409 on a stale edit) is the current record.
 */
export const ZErrorBody = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      requestId: z.string(),
      field: z.string().optional(),
    }),
    current: z.unknown().optional(),
  })
  .meta({ id: "Error" });
export type TErrorBody = z.infer<typeof ZErrorBody>;
