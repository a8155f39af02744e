const TASK_KEY = /^([A-Za-z][A-Za-z0-9]{0,9})-(\d{1,9})$/;

export function formatTaskKey(prefix: string, number: number): string {
  return `${prefix}-${number}`;
}

/** Parses `ENG-42` into its prefix and number, or returns null for anything else. */
export function parseTaskKey(key: string): { prefix: string; number: number } | null {
  const match = TASK_KEY.exec(key);
  if (!match?.[1] || !match[2]) return null;
  return { prefix: match[1].toUpperCase(), number: Number(match[2]) };
}
