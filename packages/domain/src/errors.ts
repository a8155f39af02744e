/** Typed domain errors; the HTTP edge maps them to statuses, the worker to retries. */
export class DomainError extends Error {
  constructor(
    readonly kind: "NOT_FOUND" | "FORBIDDEN" | "CONFLICT" | "VALIDATION" | "UNAUTHORIZED" | "TOO_LARGE" | "UNAVAILABLE",
    message: string,
    readonly details?: { field?: string; current?: unknown },
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what: string) => new DomainError("NOT_FOUND", `${what} not found`);
export const forbidden = (message = "You do not have permission to do this") => new DomainError("FORBIDDEN", message);
export const conflict = (message: string, current?: unknown) => new DomainError("CONFLICT", message, { current });
export const tooLarge = (message: string) => new DomainError("TOO_LARGE", message);
/** Temporarily refused (e.g. too many writes waiting in one org): retry shortly. */
export const unavailable = (message: string) => new DomainError("UNAVAILABLE", message);
export const invalid = (field: string, message: string) => new DomainError("VALIDATION", message, { field });

/** Postgres unique_violation, whether raw from postgres.js or wrapped by Drizzle. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}
