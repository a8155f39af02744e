import { z } from "zod";
import { DEV_ENCRYPTION_KEY } from "./crypto.ts";

/**
 * The environment with empty values dropped: `NAME=` in a .env file (as `.env.example` has
 * for optional settings) means "unset", not "the empty string".
 */
export function withoutEmptyValues(source: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) if (value) out[name] = value;
  return out;
}

/** `ENCRYPTION_KEY`, shared by the backend and the worker: 32 bytes, base64 (`openssl rand -base64 32`). */
export const ZEncryptionKey = z
  .string()
  .refine((value) => Buffer.from(value, "base64").length === 32, "must be 32 bytes, base64-encoded");

/** The key as set; unset, the fixed development key outside production, and none in production. */
export const encryptionKeyOrDev = (key: string | undefined, nodeEnv: string): string | undefined =>
  key ?? (nodeEnv === "production" ? undefined : DEV_ENCRYPTION_KEY);

export const ZLogLevel = z.enum(["debug", "info", "warn", "error"]).default("info");

/**
 * Parses a process's environment once at boot (empty values meaning unset); throws one error
 * listing every problem, named after the process (`Invalid worker configuration: …`).
 */
export function parseEnv<Schema extends z.ZodType>(
  schema: Schema,
  source: Record<string, string | undefined>,
  processName: string,
): z.output<Schema> {
  const parsed = schema.safeParse(withoutEmptyValues(source));
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join(".") || "env"}: ${issue.message}`);
  throw new Error(`Invalid ${processName} configuration:\n${problems.join("\n")}`);
}
