import { z } from "zod";

// NUL: Postgres text cannot hold it. A lone UTF-16 surrogate: not Unicode, so it cannot be
// stored as UTF-8 faithfully (it would come back as U+FFFD, or not at all).
const UNSAFE_TEXT = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSAFE_TEXT_MESSAGE = "must not contain NUL bytes or unpaired surrogates";

export function isSafeText(value: string): boolean {
  return !UNSAFE_TEXT.test(value);
}

/** A string the database can store as given: the base of every text field in the contracts. */
export const ZSafeText = z.string().refine(isSafeText, { message: UNSAFE_TEXT_MESSAGE });

/**
 * The dotted path (`labelIds.0`, "" for the value itself) of the first string in a parsed
 * JSON value, query or path parameters that `isSafeText` refuses, or null when all are safe.
 */
export function findUnsafeText(value: unknown, path: string[] = []): string | null {
  if (typeof value === "string") return isSafeText(value) ? null : path.join(".");
  if (typeof value !== "object" || value === null) return null;
  for (const [key, item] of Object.entries(value)) {
    if (!isSafeText(key)) return [...path, key].join(".");
    const found = findUnsafeText(item, [...path, key]);
    if (found !== null) return found;
  }
  return null;
}
