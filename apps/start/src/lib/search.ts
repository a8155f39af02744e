/**
 * Search-param validators for route definitions. Route definitions load with the app's entry
 * on every page, so they stay free of zod (92 KB of the login page's JavaScript otherwise).
 */
export function optionalStrings<const K extends string>(...names: K[]) {
  return (search: Record<string, unknown>): Partial<Record<K, string>> => {
    const picked: Partial<Record<K, string>> = {};
    for (const name of names) {
      const value = search[name];
      if (typeof value === "string") picked[name] = value;
      else if (typeof value === "number") picked[name] = String(value);
    }
    return picked;
  };
}
