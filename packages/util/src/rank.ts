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

/** Longer than any key the app makes in practice; a file's rank past it is refused, not stored. */
export const MAX_RANK_LENGTH = 128;

/**
 * Whether `key` is a fractional-index key the rank functions accept: base-62 digits, a valid
 * integer head, no trailing zero. A key that is not would make every later move next to it throw.
 */
export function isValidRank(key: string): boolean {
  if (key.length === 0 || key.length > MAX_RANK_LENGTH || !/^[0-9A-Za-z]+$/.test(key)) return false;
  try {
    generateKeyBetween(key, null);
    return true;
  } catch {
    return false;
  }
}

export function isValidRankOrder(before: string | null, after: string | null): boolean {
  return before === null || after === null || before < after;
}
