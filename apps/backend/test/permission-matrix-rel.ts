/**
 * The permission matrix's entries for relations, saved views, public project boards and
 * repo links (issue 13), spliced into MATRIX by permission-matrix.ts.
 */
import type { MatrixEntry, World } from "./permission-matrix.ts";

const org = (w: World) => `/api/orgs/${w.orgId}`;
const task = (w: World) => `${org(w)}/tasks/${w.taskId}`;
const board = (w: World) => `/api/public/orgs/${w.slug}/projects/${w.projectKey}`;

export const PUBLIC_PROJECT_ENTRIES: MatrixEntry[] = [
  {
    route: "GET /api/public/orgs/:slug/projects",
    access: "anyone",
    request: (w) => ({ path: `/api/public/orgs/${w.slug}/projects` }),
  },
  { route: "GET /api/public/orgs/:slug/projects/:projectKey", access: "anyone", request: (w) => ({ path: board(w) }) },
  {
    route: "GET /api/public/orgs/:slug/projects/:projectKey/tasks",
    access: "anyone",
    request: (w) => ({ path: `${board(w)}/tasks` }),
  },
  {
    route: "GET /api/public/orgs/:slug/projects/:projectKey/tasks/:number",
    access: "anyone",
    request: (w) => ({ path: `${board(w)}/tasks/${w.taskNumber}` }),
  },
];

export const REL_ENTRIES: MatrixEntry[] = [
  {
    route: "GET /api/orgs/:orgId/tasks/:taskId/relations",
    access: "member",
    request: (w) => ({ path: `${task(w)}/relations` }),
  },
  {
    route: "POST /api/orgs/:orgId/tasks/:taskId/relations",
    access: "tasks.edit",
    request: (w) => ({ path: `${task(w)}/relations`, body: { type: "relates", taskId: w.otherTaskId } }),
  },
  { route: "GET /api/orgs/:orgId/relations", access: "member", request: (w) => ({ path: `${org(w)}/relations` }) },
  { route: "GET /api/orgs/:orgId/views", access: "member", request: (w) => ({ path: `${org(w)}/views` }) },
  {
    route: "POST /api/orgs/:orgId/views",
    access: "member",
    request: (w) => ({ path: `${org(w)}/views`, body: { name: "Mine", filters: { priority: ["high"] } } }),
  },
  // The world's view is shared: changing it takes tasks.edit (a personal one is its owner's alone).
  {
    route: "PATCH /api/orgs/:orgId/views/:viewId",
    access: "tasks.edit",
    request: (w) => ({ path: `${org(w)}/views/${w.viewId}`, body: { name: "Renamed" } }),
  },
  {
    route: "PATCH /api/orgs/:orgId/github/repos/:repoId",
    access: "admin.manageSettings",
    request: (w) => ({ path: `${org(w)}/github/repos/${w.repoId}`, body: { projectId: w.projectKey } }),
  },
];

/** Destructive: walked after everything that needs the world's relation and view. */
export const REL_DESTRUCTIVE_ENTRIES: MatrixEntry[] = [
  {
    route: "DELETE /api/orgs/:orgId/tasks/:taskId/relations/:relationId",
    access: "tasks.edit",
    request: (w) => ({ path: `${task(w)}/relations/${w.relationId}` }),
  },
  {
    route: "DELETE /api/orgs/:orgId/views/:viewId",
    access: "tasks.edit",
    request: (w) => ({ path: `${org(w)}/views/${w.viewId}` }),
  },
];
