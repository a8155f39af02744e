// A board opened directly (`/o/:slug` or `/o/:slug/:projectKey`) asks the API for its data from the page's head, while
// the JavaScript bundles are still downloading: the user (which says the org's id, for this
// user only: the API answers the board's requests for members alone), then the board's first
// page, its labels and members. The entry script takes these answers over (query-options.ts).

/** An API answer as the head script got it: status and parsed body (null when not JSON). */
export type EarlyAnswer = { ok: boolean; status: number; body: unknown };
export type FirstLoad = {
  slug: string;
  me: Promise<EarlyAnswer>;
  /** Null when the user is signed out or not a member of an org with that slug. */
  org: Promise<{
    /** The key of the project whose tasks `tasks` holds. */
    projectKey: Promise<string | null>;
    tasks: Promise<EarlyAnswer>;
    labels: Promise<EarlyAnswer>;
    members: Promise<EarlyAnswer>;
    projects: Promise<EarlyAnswer>;
  } | null>;
};

declare global {
  interface Window {
    __tandemFirstLoad?: FirstLoad;
  }
}

/**
 * Runs in the page's head as an inline script, serialized with `toString()`: it may use nothing
 * from outside its own body (no imports, no module constants), only its arguments.
 */
export function startFirstLoad(apiUrl: string, pageLimit: number): void {
  const match = /^\/o\/([^/]+)(?:\/(?!settings\/?$)([^/]+))?\/?$/.exec(window.location.pathname);
  if (!match?.[1] || typeof fetch !== "function") return;
  const slug = decodeURIComponent(match[1]);
  const get = (path: string): Promise<EarlyAnswer> =>
    fetch(apiUrl + path, { credentials: "include" }).then((response) =>
      response.json().then(
        (body: unknown) => ({ ok: response.ok, status: response.status, body }),
        () => ({ ok: response.ok, status: response.status, body: null }),
      ),
    );
  const me = get("/api/me");
  const org = me.then((answer) => {
    const body = answer.body as { orgs?: { id: string; slug: string }[] } | null;
    const found = answer.ok ? body?.orgs?.find((candidate) => candidate.slug === slug) : undefined;
    if (!found) return null;
    const base = `/api/orgs/${encodeURIComponent(found.id)}`;
    const projects = get(`${base}/projects`);
    // The project the page will show: the URL's, else the last one used here (read as the
    // page does), else the first open one by position, once the projects arrive.
    const taskKey = new URLSearchParams(window.location.search).get("task")?.toUpperCase().split("-")[0];
    // No try statement and no type alias in here: Vite's SSR and client transforms print those
    // differently, and this function's text must be the same on both (hydration).
    const remembered = Promise.resolve(`tandem-last-project:${found.id}`)
      .then((key) => localStorage.getItem(key))
      .catch(() => null);
    const named = match[2] ? decodeURIComponent(match[2]).toUpperCase() : null;
    const projectKey: Promise<string | null> = named
      ? Promise.resolve(named)
      : Promise.all([projects, remembered]).then(([answer, last]) => {
          const list =
            answer.ok && Array.isArray(answer.body)
              ? (answer.body as { key: string; archived: boolean; position: number }[])
              : [];
          const open = list.filter((p) => !p.archived).sort((x, y) => x.position - y.position);
          const pick = list.find((p) => p.key === taskKey) ?? open.find((p) => p.key === last) ?? open[0] ?? list[0];
          return pick?.key ?? null;
        });
    const tasks = projectKey.then((key) =>
      key
        ? get(`${base}/tasks?limit=${pageLimit}&project=${encodeURIComponent(key)}`)
        : { ok: false, status: 0, body: null },
    );
    return {
      projectKey: projectKey.catch(() => null),
      tasks,
      labels: get(`${base}/labels`),
      members: get(`${base}/members`),
      projects,
    };
  });
  // A failed request is the entry script's to report (it asks again): never an unhandled rejection here.
  me.catch(() => null);
  window.__tandemFirstLoad = { slug, me, org: org.catch(() => null) };
}

/** The inline script for the page's head. */
export function firstLoadScript(apiUrl: string, pageLimit: number): string {
  return `(${startFirstLoad.toString()})(${JSON.stringify(apiUrl)},${pageLimit})`;
}

/** The head script's answers for this slug, once: later loads of the page ask the API themselves. */
export function takeFirstLoad(slug: string): FirstLoad | null {
  if (typeof window === "undefined") return null;
  const early = window.__tandemFirstLoad;
  window.__tandemFirstLoad = undefined;
  return early?.slug === slug ? early : null;
}
