/** Room left in a page for the wrapper around its items (`{"tasks":[…],"nextCursor":"…"}`). */
const WRAPPER_BYTES = 1024;

/**
 * The longest prefix of `items` whose JSON fits in `maxBytes` (always at least one item, so
 * a cursor can make progress). Pages are cut by weight as well as count: a few huge
 * descriptions must not make a page of tens of megabytes.
 */
export function fitPage<T>(items: T[], view: (item: T) => unknown, maxBytes: number): T[] {
  let used = WRAPPER_BYTES;
  for (let i = 0; i < items.length; i++) {
    used += Buffer.byteLength(JSON.stringify(view(items[i] as T))) + 1;
    if (used > maxBytes && i > 0) return items.slice(0, i);
  }
  return items;
}
