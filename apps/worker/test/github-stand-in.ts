import { createVerify } from "node:crypto";

/**
 * A stand-in for api.github.com on loopback: the real REST paths and payload shapes Tandem uses
 * (issues update, create comment, list issues with `since` and Link pagination, a repository as
 * a token sees it, an App's installation as the App sees it with its RS256 JWT, the installations
 * a user's token can access), recording every
 * call so tests can count them.
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

type Permissions = { admin: boolean; push: boolean; pull: boolean };

/** Verifies a GitHub App JWT (RS256) the way GitHub does: signature, issuer = app id, not expired. */
function appFromJwt(authorization: string | null, app: { appId: string; publicKey: string } | undefined): boolean {
  const jwt = /^bearer (.+)$/i.exec(authorization ?? "")?.[1];
  const [header = "", payload = "", signature = ""] = jwt?.split(".") ?? [];
  if (!app || !signature) return false;
  const signed = createVerify("RSA-SHA256")
    .update(`${header}.${payload}`)
    .verify(app.publicKey, Buffer.from(signature, "base64url"));
  if (!signed) return false;
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { iss?: unknown; exp?: number };
  return String(claims.iss) === app.appId && (claims.exp ?? 0) * 1000 > Date.now();
}

export function startGithubStandIn(options: { app?: { appId: string; publicKey: string } } = {}) {
  const calls: { method: string; path: string; body: unknown; auth: string | null }[] = [];
  const issues = new Map<string, StandInIssue>(); // "owner/repo#number"
  const repos = new Map<string, { id: number; full_name: string; private: boolean }>(); // lower-case name
  const grants = new Map<string, Permissions>(); // "token repo"
  const installations = new Map<number, { id: number; account: { login: string; id: number; type: string } }>();
  const userAccess = new Map<string, Set<number>>(); // user token → installations the user can reach
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
      const repoPath = /^\/repos\/([^/]+)\/([^/]+)$/.exec(url.pathname);
      if (repoPath && request.method === "GET") {
        const name = `${repoPath[1]}/${repoPath[2]}`.toLowerCase();
        const token = /^(?:token|bearer) (.+)$/i.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
        const repo = repos.get(name);
        const permissions = grants.get(`${token} ${name}`);
        // GitHub answers 404 for a private repository the caller cannot see.
        if (!repo || !permissions) return Response.json({ message: "Not Found" }, { status: 404, headers });
        return Response.json({ ...repo, permissions }, { headers });
      }
      const installation = /^\/app\/installations\/(\d+)$/.exec(url.pathname);
      if (installation && request.method === "GET") {
        if (!appFromJwt(request.headers.get("authorization"), options.app)) {
          return Response.json({ message: "A JSON web token could not be decoded" }, { status: 401, headers });
        }
        const found = installations.get(Number(installation[1]));
        if (!found) return Response.json({ message: "Not Found" }, { status: 404, headers });
        return Response.json(found, { headers });
      }
      if (url.pathname === "/user/installations" && request.method === "GET") {
        // A GitHub App user access token: the App's installations this user has access to.
        const token = /^(?:token|bearer) (.+)$/i.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
        const reachable = userAccess.get(token);
        if (!reachable) return Response.json({ message: "Bad credentials" }, { status: 401, headers });
        const found = [...reachable].flatMap((id) => installations.get(id) ?? []);
        // Paged as GitHub pages: per_page (default 30, max 100), page, and a Link header.
        const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 30), 100);
        const page = Number(url.searchParams.get("page") ?? 1);
        const next = new URL(url);
        next.searchParams.set("page", String(page + 1));
        const more = found.length > page * perPage;
        return Response.json(
          { total_count: found.length, installations: found.slice((page - 1) * perPage, page * perPage) },
          { headers: more ? { ...headers, link: `<${next}>; rel="next"` } : headers },
        );
      }
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
    /** A repository on "GitHub", and what a token may do in it. */
    addRepo(fullName: string, id: number) {
      repos.set(fullName.toLowerCase(), { id, full_name: fullName, private: true });
    },
    grant(token: string, fullName: string, permissions: Partial<Permissions>) {
      grants.set(`${token} ${fullName.toLowerCase()}`, { admin: false, push: false, pull: true, ...permissions });
    },
    /** An installation of the App on an account. */
    addInstallation(id: number, login: string) {
      installations.set(id, { id, account: { login, id: id + 1, type: "Organization" } });
    },
    /** A GitHub user's token (from signing in with GitHub) and the installations they can access. */
    grantUser(token: string, installationIds: number[]) {
      userAccess.set(token, new Set(installationIds));
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
