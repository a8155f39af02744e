import type { StandardSchemaV1 } from "@standard-schema/spec";
import { findUnsafeText, UNSAFE_TEXT_MESSAGE } from "@tandem/contracts";
import type { ValidationTargets } from "hono";
import { validator } from "hono-openapi";
import { ApiError } from "./errors.ts";

function issueField(issue: StandardSchemaV1.Issue): string | undefined {
  const path = issue.path?.map((segment) => (typeof segment === "object" ? segment.key : segment)).join(".");
  if (path) return path;
  // Unknown keys are reported on the object itself; name the offending key instead.
  const keys = (issue as { keys?: unknown }).keys;
  return Array.isArray(keys) && keys.length ? String(keys[0]) : undefined;
}

/**
 * zod validation that documents itself in the OpenAPI spec and fails with one 400 in the
 * common error shape, naming the first offending field.
 */
export function validate<Target extends keyof ValidationTargets, Schema extends StandardSchemaV1>(
  target: Target,
  schema: Schema,
) {
  return validator(target, schema, (result) => {
    // Checked on the raw input, whatever the schema: text the database cannot store is bad
    // input even where a schema forgot to say so.
    const unsafe = findUnsafeText(result.data);
    if (unsafe !== null) {
      throw new ApiError("BAD_REQUEST", `${unsafe || target}: ${UNSAFE_TEXT_MESSAGE}`, { field: unsafe || target });
    }
    if (result.success) return;
    const issue = result.error[0];
    const field = issue ? issueField(issue) : undefined;
    const message = issue ? `${field ? `${field}: ` : ""}${issue.message}` : `Invalid ${target}`;
    throw new ApiError("BAD_REQUEST", message, { field: field ?? target });
  });
}
