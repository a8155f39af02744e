const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

export type IdPrefix =
  | "org"
  | "mem"
  | "team"
  | "inv"
  | "task"
  | "lbl"
  | "cat"
  | "cmt"
  | "act"
  | "ghr"
  | "ghi"
  | "ghp"
  | "att"
  | "key"
  | "imp"
  | "whk"
  | "msg"
  | "ntf"
  | "prj"
  | "wst"
  | "rel"
  | "view";

/** Prefixed, URL-safe random id (`task_3k9…`): readable in logs, 100 bits of entropy. */
export function newId(prefix: IdPrefix): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  let out = "";
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return `${prefix}_${out}`;
}
