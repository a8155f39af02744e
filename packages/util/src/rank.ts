import { generateKeyBetween } from "fractional-indexing";

const DIGITS = "123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * Board positions are fractional-index strings: a card moved between two others gets a key
 * strictly between theirs, so a reorder writes exactly one row.
 */
export function rankBetween(before: string | null, after: string | null): string {
  return generateKeyBetween(before, after);
}

/**
 * A key after `last` with a random fractional tail: concurrent appends that read the same
 * `last` still get distinct keys (the tail never ends in "0", so the key stays valid).
 */
export function rankAfter(last: string | null): string {
  return generateKeyBetween(last, null) + rankTail();
}

/** The random tail of `rankAfter`, for appends whose key is taken in SQL (`tandem_key_after`). */
export function rankTail(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  let tail = "";
  for (const byte of bytes) tail += DIGITS[byte % DIGITS.length];
  return tail;
}

export function isValidRankOrder(before: string | null, after: string | null): boolean {
  return before === null || after === null || before < after;
}
