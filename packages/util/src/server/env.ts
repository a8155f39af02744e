/**
 * The environment with empty values dropped: `NAME=` in a .env file (as `.env.example` has
 * for optional settings) means "unset", not "the empty string".
 */
export function withoutEmptyValues(source: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) if (value) out[name] = value;
  return out;
}
