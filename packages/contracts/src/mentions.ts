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

// GitHub's mention syntax: `@login` not inside a word or an e-mail address; logins are up to 39
// letters, digits and single inner hyphens. Code spans and fenced blocks mention no one.
const GITHUB_MENTION = /(?<![\w@`/.-])@([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})(?![\w-]|@)/g;
const CODE = /```[\s\S]*?(?:```|$)|`[^`\n]*`/g;

/** The GitHub logins `@mentioned` in a GitHub comment (lower-cased, each once, in order; at most 50). */
export function githubMentionedLogins(markdown: string): string[] {
  const text = markdown.replace(CODE, " ");
  const logins = [...text.matchAll(GITHUB_MENTION)].map((match) => (match[1] ?? "").toLowerCase());
  return [...new Set(logins)].filter(Boolean).slice(0, 50);
}
