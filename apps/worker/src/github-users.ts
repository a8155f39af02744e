import { ZGithubUser } from "@tandem/domain";

/** Where a payload names GitHub accounts: the sender, authors, assignees, requested reviewers. */
function candidates(payload: Record<string, unknown>): unknown[] {
  const found: unknown[] = [payload.sender];
  for (const key of ["issue", "pull_request", "comment", "review"] as const) {
    const item = payload[key] as Record<string, unknown> | undefined;
    if (!item || typeof item !== "object") continue;
    found.push(item.user, item.assignee);
    for (const list of [item.assignees, item.requested_reviewers]) if (Array.isArray(list)) found.push(...list);
  }
  return found;
}

/** The GitHub accounts (id and login) a verified delivery shows, each once. */
export function githubUsersIn(payload: Record<string, unknown>): { id: number; login: string }[] {
  const users = new Map<number, string>();
  for (const value of candidates(payload)) {
    const parsed = ZGithubUser.safeParse(value);
    if (parsed.success && parsed.data.login) users.set(parsed.data.id, parsed.data.login);
  }
  return [...users].map(([id, login]) => ({ id, login }));
}
