/**
 * Mentions in markdown (SPEC §14), kept free of zod: the board's first JavaScript renders them.
 * Stored as `@[Display Name](user:<userId>)`, so a rename does not break them.
 */
const MENTION = /@\[([^\]\n]{0,200})\]\(user:([A-Za-z0-9_-]{1,64})\)/g;

/** The user ids mentioned in markdown as `@[Display Name](user:<userId>)`, each once, in order. */
export function mentionedUserIds(markdown: string): string[] {
  return [...new Set([...markdown.matchAll(MENTION)].map((match) => match[2] ?? ""))].filter(Boolean);
}

/** Markdown with each mention written as the name it was stored with (`@Name`), for plain rendering. */
export function mentionsAsNames(markdown: string): string {
  return markdown.replace(MENTION, (_all, name: string) => `**@${name.replace(/[*_`[\]]/g, "")}**`);
}

/** The mention markdown for a member, as the editors insert it. */
export function mentionOf(member: { id: string; name: string }): string {
  return `@[${member.name.replace(/[[\]\n]/g, "")}](user:${member.id})`;
}
