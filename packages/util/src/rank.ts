import { generateKeyBetween } from "fractional-indexing";

/**
 * Board positions are fractional-index strings: a card moved between two others gets a key
 * strictly between theirs, so a reorder writes exactly one row.
 */
export function rankBetween(before: string | null, after: string | null): string {
  return generateKeyBetween(before, after);
}

export function isValidRankOrder(before: string | null, after: string | null): boolean {
  return before === null || after === null || before < after;
}
