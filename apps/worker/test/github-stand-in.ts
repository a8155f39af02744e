/**
 * A stand-in for api.github.com on loopback: the real REST paths and payload shapes the
 * worker uses (issues update, create comment, list issues with `since` and Link pagination),
 * recording every call so tests can count them.
 */
export type StandInIssue = {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  state_reason: string | null;
  labels: { name: string; color: string }[];
  assignees: { id: number; login: string }[];
  updated_at: string;
};

export function startGithubStandIn() {
  const calls: { method: string; path: string; body: unknown; auth: string | null }[] = [];
  const issues = new Map<string, StandInIssue>(); // "owner/repo#number"
  let commentId = 5_000_000;
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const url = new URL(request.url);
      const body = request.method === "GET" ? null : await request.json().catch(() => null);
      calls.push({
        method: request.method,
        path: url.pathname + url.search,
        body,
        auth: request.headers.get("authorization"),
      });
      const headers = { "content-type": "application/json", "x-ratelimit-remaining": "4999", "x-ratelimit-reset": "0" };
      const update = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/.exec(url.pathname);
      if (update && request.method === "PATCH") {
        const key = `${update[1]}/${update[2]}#${update[3]}`;
        const patch = body as { state?: "open" | "closed"; state_reason?: string };
        const current = issues.get(key) ?? standInIssue(Number(update[3]), "Issue");
        const next = {
          ...current,
          state: patch.state ?? current.state,
          state_reason: patch.state_reason ?? null,
          updated_at: new Date().toISOString(),
        };
        issues.set(key, next);
        return Response.json(next, { headers });
      }
      const comments = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
      if (comments && request.method === "POST") {
        commentId += 1;
        const now = new Date().toISOString();
        return Response.json(
          {
            id: commentId,
            body: (body as { body: string }).body,
            user: { id: 1, login: "tandem-bot" },
            created_at: now,
            updated_at: now,
          },
          { status: 201, headers },
        );
      }
      const list = /^\/repos\/([^/]+)\/([^/]+)\/issues$/.exec(url.pathname);
      if (list && request.method === "GET") {
        const since = url.searchParams.get("since") ?? "";
        const repoIssues = [...issues.entries()]
          .filter(([key, issue]) => key.startsWith(`${list[1]}/${list[2]}#`) && issue.updated_at >= since)
          .map(([, issue]) => issue);
        return Response.json(repoIssues, { headers });
      }
      return Response.json({ message: "Not Found" }, { status: 404, headers });
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    calls,
    /** Puts an issue on the "GitHub" side, as if created there. */
    addIssue(fullName: string, issue: StandInIssue) {
      issues.set(`${fullName}#${issue.number}`, issue);
    },
    stop: () => server.stop(true),
  };
}

export function standInIssue(number: number, title: string, patch: Partial<StandInIssue> = {}): StandInIssue {
  return {
    id: 7_000_000 + number,
    number,
    title,
    body: null,
    state: "open",
    state_reason: null,
    labels: [],
    assignees: [],
    updated_at: new Date().toISOString(),
    ...patch,
  };
}
