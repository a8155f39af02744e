/**
 * The permission matrix (SPEC §5, §6): every registered route, who may call it, and a valid
 * request for it. `permissions.test.ts` expands it over every role and walks it.
 *
 * Access levels:
 * - "anyone": no session needed (public board, health, docs, Better Auth's own routes)
 * - "signedIn": any signed-in user, member or not
 * - "member": any member of the org
 * - a permission: members holding it (or admin.administrator)
 * - "author": the comment's author or an administrator (the walked roles are never the author)
 *
 * Order matters: destructive routes come last so the world stays intact while walking.
 */
import type { TPermission } from "@tandem/contracts";
import { PUBLIC_PROJECT_ENTRIES, REL_DESTRUCTIVE_ENTRIES, REL_ENTRIES } from "./permission-matrix-rel.ts";

export type Access = "anyone" | "signedIn" | "member" | "author" | TPermission;

/** What a request may refer to; built fresh for every role by the test. */
export type World = {
  orgId: string;
  slug: string;
  taskId: string;
  taskNumber: number;
  taskKey: string;
  commentId: string;
  labelId: string;
  categoryId: string;
  teamId: string;
  inviteId: string;
  otherOrgInviteCode: string;
  victimUserId: string;
  ownerId: string;
  repoId: string;
  attachmentId: string;
  apiKeyId: string;
  webhookId: string;
  webhookDeliveryId: string;
  /** A receiver on loopback (the backend itself: deliveries to it fail, which is fine here). */
  webhookUrl: string;
  /** The org's first project (its key, as routes accept it) and one of its empty states. */
  projectKey: string;
  stateId: string;
  /** A second project, and a state of the first one, that the destructive routes delete. */
  spareProjectId: string;
  spareStateId: string;
  /** A second task, a relation between the two, and a shared view. */
  otherTaskId: string;
  relationId: string;
  viewId: string;
};

export type MatrixEntry = {
  route: string;
  access: Access;
  request: (w: World) => { path: string; body?: unknown };
  /** The status an allowed caller gets, when not 2xx. */
  okStatus?: number;
};

const org = (w: World) => `/api/orgs/${w.orgId}`;
const task = (w: World) => `${org(w)}/tasks/${w.taskId}`;

export const MATRIX: MatrixEntry[] = [
  { route: "GET /health", access: "anyone", request: () => ({ path: "/health" }) },
  { route: "GET /health/ready", access: "anyone", request: () => ({ path: "/health/ready" }) },
  { route: "GET /api/openapi.json", access: "anyone", request: () => ({ path: "/api/openapi.json" }) },
  { route: "GET /api/docs", access: "anyone", request: () => ({ path: "/api/docs" }) },
  { route: "GET /api/docs/scalar.js", access: "anyone", request: () => ({ path: "/api/docs/scalar.js" }) },
  { route: "GET /api/auth-config", access: "anyone", request: () => ({ path: "/api/auth-config" }) },
  { route: "GET /api/auth/*", access: "anyone", request: () => ({ path: "/api/auth/get-session" }) },
  // The socket authorizes each SUBSCRIBE (realtime tests); over plain HTTP it is a 400.
  { route: "GET /ws", access: "anyone", request: () => ({ path: "/ws" }), okStatus: 400 },
  { route: "GET /api/public/orgs/:slug", access: "anyone", request: (w) => ({ path: `/api/public/orgs/${w.slug}` }) },
  {
    route: "GET /api/public/orgs/:slug/tasks",
    access: "anyone",
    request: (w) => ({ path: `/api/public/orgs/${w.slug}/tasks` }),
  },
  {
    route: "GET /api/public/orgs/:slug/tasks/:number",
    access: "anyone",
    request: (w) => ({ path: `/api/public/orgs/${w.slug}/tasks/${w.taskNumber}` }),
  },
  ...PUBLIC_PROJECT_ENTRIES,

  { route: "GET /api/me", access: "signedIn", request: () => ({ path: "/api/me" }) },
  {
    route: "POST /api/orgs",
    access: "signedIn",
    request: () => {
      const slug = `m-${crypto.randomUUID().slice(0, 12)}`;
      return { path: "/api/orgs", body: { name: "Matrix", slug, prefix: "MX" } };
    },
  },
  { route: "GET /api/me/notifications", access: "signedIn", request: () => ({ path: "/api/me/notifications" }) },
  {
    route: "POST /api/me/notifications/read",
    access: "signedIn",
    request: () => ({ path: "/api/me/notifications/read", body: { all: true } }),
  },
  {
    route: "POST /api/me/notifications/archive",
    access: "signedIn",
    request: () => ({ path: "/api/me/notifications/archive", body: { ids: ["ntf_none"] } }),
  },
  {
    route: "GET /api/me/notification-preferences",
    access: "signedIn",
    request: () => ({ path: "/api/me/notification-preferences" }),
  },
  {
    route: "PUT /api/me/notification-preferences",
    access: "signedIn",
    request: () => ({
      path: "/api/me/notification-preferences",
      body: { preferences: [{ kind: "commented", channel: "email", enabled: true }] },
    }),
  },
  // The signed token is the credential; without a valid one it is a 400 for everyone.
  {
    route: "POST /api/notifications/unsubscribe",
    access: "anyone",
    request: () => ({ path: "/api/notifications/unsubscribe?token=not-a-token" }),
    okStatus: 400,
  },
  {
    route: "POST /api/invites/:code/accept",
    access: "signedIn",
    request: (w) => ({ path: `/api/invites/${w.otherOrgInviteCode}/accept` }),
  },

  { route: "GET /api/orgs/:orgId", access: "member", request: (w) => ({ path: org(w) }) },
  {
    route: "PATCH /api/orgs/:orgId",
    access: "admin.manageSettings",
    request: (w) => ({ path: org(w), body: { name: "Renamed org" } }),
  },
  { route: "GET /api/orgs/:orgId/members", access: "member", request: (w) => ({ path: `${org(w)}/members` }) },
  {
    route: "GET /api/orgs/:orgId/invites",
    access: "admin.manageMembers",
    request: (w) => ({ path: `${org(w)}/invites` }),
  },
  {
    route: "POST /api/orgs/:orgId/invites",
    access: "admin.manageMembers",
    request: (w) => ({ path: `${org(w)}/invites`, body: { email: "someone@example.test" } }),
  },
  { route: "GET /api/orgs/:orgId/teams", access: "member", request: (w) => ({ path: `${org(w)}/teams` }) },
  {
    route: "POST /api/orgs/:orgId/teams",
    access: "admin.manageTeams",
    request: (w) => ({ path: `${org(w)}/teams`, body: { name: `Team ${crypto.randomUUID().slice(0, 8)}` } }),
  },
  {
    route: "PATCH /api/orgs/:orgId/teams/:teamId",
    access: "admin.manageTeams",
    request: (w) => ({
      path: `${org(w)}/teams/${w.teamId}`,
      body: { name: `Renamed ${crypto.randomUUID().slice(0, 8)}` },
    }),
  },
  {
    route: "PUT /api/orgs/:orgId/teams/:teamId/members/:userId",
    access: "admin.manageTeams",
    request: (w) => ({ path: `${org(w)}/teams/${w.teamId}/members/${w.victimUserId}` }),
  },
  {
    route: "DELETE /api/orgs/:orgId/teams/:teamId/members/:userId",
    access: "admin.manageTeams",
    request: (w) => ({ path: `${org(w)}/teams/${w.teamId}/members/${w.victimUserId}` }),
  },
  {
    route: "GET /api/orgs/:orgId/api-keys",
    access: "admin.manageSettings",
    request: (w) => ({ path: `${org(w)}/api-keys` }),
  },
  {
    route: "POST /api/orgs/:orgId/api-keys",
    access: "admin.manageSettings",
    request: (w) => ({ path: `${org(w)}/api-keys`, body: { name: "Matrix", permissions: [] } }),
  },
  {
    route: "GET /api/orgs/:orgId/export",
    access: "admin.administrator",
    request: (w) => ({ path: `${org(w)}/export?format=csv` }),
  },
  {
    route: "GET /api/orgs/:orgId/imports",
    access: "admin.administrator",
    request: (w) => ({ path: `${org(w)}/imports` }),
  },
  // Imports are multipart: this JSON body is refused (400) once the permission check passes.
  {
    route: "POST /api/orgs/:orgId/imports",
    access: "admin.administrator",
    request: (w) => ({ path: `${org(w)}/imports`, body: {} }),
    okStatus: 400,
  },
  // No import exists in the world: an allowed caller learns that (404), others are refused first.
  {
    route: "GET /api/orgs/:orgId/imports/:importId",
    access: "admin.administrator",
    request: (w) => ({ path: `${org(w)}/imports/imp_none` }),
    okStatus: 404,
  },
  {
    route: "GET /api/orgs/:orgId/webhooks",
    access: "admin.manageSettings",
    request: (w) => ({ path: `${org(w)}/webhooks` }),
  },
  {
    route: "POST /api/orgs/:orgId/webhooks",
    access: "admin.manageSettings",
    request: (w) => ({ path: `${org(w)}/webhooks`, body: { url: w.webhookUrl, events: ["*"] } }),
  },
  {
    route: "PATCH /api/orgs/:orgId/webhooks/:webhookId",
    access: "admin.manageSettings",
    request: (w) => ({ path: `${org(w)}/webhooks/${w.webhookId}`, body: { events: ["CREATE_TASK"] } }),
  },
  {
    route: "POST /api/orgs/:orgId/webhooks/:webhookId/rotate-secret",
    access: "admin.manageSettings",
    request: (w) => ({ path: `${org(w)}/webhooks/${w.webhookId}/rotate-secret`, body: {} }),
  },
  {
    route: "POST /api/orgs/:orgId/webhooks/:webhookId/ping",
    access: "admin.manageSettings",
    request: (w) => ({ path: `${org(w)}/webhooks/${w.webhookId}/ping` }),
  },
  {
    route: "GET /api/orgs/:orgId/webhooks/:webhookId/deliveries",
    access: "admin.manageSettings",
    request: (w) => ({ path: `${org(w)}/webhooks/${w.webhookId}/deliveries` }),
  },
  {
    route: "POST /api/orgs/:orgId/webhooks/:webhookId/deliveries/:deliveryId/redeliver",
    access: "admin.manageSettings",
    request: (w) => ({ path: `${org(w)}/webhooks/${w.webhookId}/deliveries/${w.webhookDeliveryId}/redeliver` }),
  },
  { route: "GET /api/orgs/:orgId/labels", access: "member", request: (w) => ({ path: `${org(w)}/labels` }) },
  {
    route: "POST /api/orgs/:orgId/labels",
    access: "content.manageLabels",
    request: (w) => ({ path: `${org(w)}/labels`, body: { name: `l-${crypto.randomUUID().slice(0, 8)}` } }),
  },
  {
    route: "PATCH /api/orgs/:orgId/labels/:labelId",
    access: "content.manageLabels",
    request: (w) => ({ path: `${org(w)}/labels/${w.labelId}`, body: { color: "#112233" } }),
  },
  { route: "GET /api/orgs/:orgId/categories", access: "member", request: (w) => ({ path: `${org(w)}/categories` }) },
  {
    route: "POST /api/orgs/:orgId/categories",
    access: "content.manageCategories",
    request: (w) => ({ path: `${org(w)}/categories`, body: { name: `c-${crypto.randomUUID().slice(0, 8)}` } }),
  },
  {
    route: "PATCH /api/orgs/:orgId/categories/:categoryId",
    access: "content.manageCategories",
    request: (w) => ({ path: `${org(w)}/categories/${w.categoryId}`, body: { color: "#445566" } }),
  },
  { route: "GET /api/orgs/:orgId/projects", access: "member", request: (w) => ({ path: `${org(w)}/projects` }) },
  {
    route: "POST /api/orgs/:orgId/projects",
    access: "admin.manageProjects",
    request: (w) => ({
      path: `${org(w)}/projects`,
      body: { name: "Matrix project", key: `M${crypto.randomUUID().replace(/-/g, "").slice(0, 8).toUpperCase()}` },
    }),
  },
  {
    route: "GET /api/orgs/:orgId/projects/:projectId",
    access: "member",
    request: (w) => ({ path: `${org(w)}/projects/${w.projectKey}` }),
  },
  {
    route: "PATCH /api/orgs/:orgId/projects/:projectId",
    access: "admin.manageProjects",
    request: (w) => ({ path: `${org(w)}/projects/${w.projectKey}`, body: { description: "Edited by the matrix" } }),
  },
  {
    route: "GET /api/orgs/:orgId/projects/:projectId/states",
    access: "member",
    request: (w) => ({ path: `${org(w)}/projects/${w.projectKey}/states` }),
  },
  {
    route: "POST /api/orgs/:orgId/projects/:projectId/states",
    access: "admin.manageProjects",
    request: (w) => ({
      path: `${org(w)}/projects/${w.projectKey}/states`,
      body: { name: "Matrix state", category: "started" },
    }),
  },
  {
    route: "PATCH /api/orgs/:orgId/projects/:projectId/states/:stateId",
    access: "admin.manageProjects",
    request: (w) => ({ path: `${org(w)}/projects/${w.projectKey}/states/${w.stateId}`, body: { name: "Renamed" } }),
  },
  { route: "GET /api/orgs/:orgId/tasks", access: "member", request: (w) => ({ path: `${org(w)}/tasks?status=todo` }) },
  {
    route: "POST /api/orgs/:orgId/tasks",
    access: "tasks.create",
    request: (w) => ({ path: `${org(w)}/tasks`, body: { title: "Made by the matrix" } }),
  },
  {
    route: "GET /api/orgs/:orgId/tasks/:taskId",
    access: "member",
    request: (w) => ({ path: `${org(w)}/tasks/${w.taskKey}` }),
  },
  {
    route: "PATCH /api/orgs/:orgId/tasks/:taskId",
    access: "tasks.edit",
    request: (w) => ({ path: task(w), body: { title: "Edited by the matrix", version: 1 } }),
  },
  {
    route: "POST /api/orgs/:orgId/tasks/:taskId/move",
    access: "tasks.edit",
    request: (w) => ({ path: `${task(w)}/move`, body: { status: "in_progress" } }),
  },
  {
    route: "PUT /api/orgs/:orgId/tasks/:taskId/assignees",
    access: "tasks.assign",
    request: (w) => ({ path: `${task(w)}/assignees`, body: { userIds: [w.ownerId] } }),
  },
  {
    route: "GET /api/orgs/:orgId/tasks/:taskId/activity",
    access: "member",
    request: (w) => ({ path: `${task(w)}/activity` }),
  },
  {
    route: "GET /api/orgs/:orgId/tasks/:taskId/subscription",
    access: "member",
    request: (w) => ({ path: `${task(w)}/subscription` }),
  },
  {
    route: "PUT /api/orgs/:orgId/tasks/:taskId/subscription",
    access: "member",
    request: (w) => ({ path: `${task(w)}/subscription` }),
  },
  {
    route: "DELETE /api/orgs/:orgId/tasks/:taskId/subscription",
    access: "member",
    request: (w) => ({ path: `${task(w)}/subscription` }),
  },
  {
    route: "GET /api/orgs/:orgId/tasks/:taskId/comments",
    access: "member",
    request: (w) => ({ path: `${task(w)}/comments` }),
  },
  {
    route: "POST /api/orgs/:orgId/tasks/:taskId/comments",
    access: "member",
    request: (w) => ({ path: `${task(w)}/comments`, body: { body: "A comment" } }),
  },
  {
    route: "PATCH /api/orgs/:orgId/tasks/:taskId/comments/:commentId",
    access: "author",
    request: (w) => ({ path: `${task(w)}/comments/${w.commentId}`, body: { body: "Edited" } }),
  },
  {
    route: "GET /api/orgs/:orgId/tasks/:taskId/attachments",
    access: "member",
    request: (w) => ({ path: `${task(w)}/attachments` }),
  },
  // Uploads are multipart: this JSON body is refused (400) once the permission check passes.
  {
    route: "POST /api/orgs/:orgId/tasks/:taskId/attachments",
    access: "tasks.edit",
    request: (w) => ({ path: `${task(w)}/attachments`, body: {} }),
    okStatus: 400,
  },
  {
    route: "GET /api/orgs/:orgId/tasks/:taskId/attachments/:attachmentId/download",
    access: "member",
    request: (w) => ({ path: `${task(w)}/attachments/${w.attachmentId}/download` }),
  },
  {
    route: "GET /api/orgs/:orgId/tasks/:taskId/attachments/:attachmentId/url",
    access: "member",
    request: (w) => ({ path: `${task(w)}/attachments/${w.attachmentId}/url` }),
  },
  // The signature is the permission; a wrong one is refused for everyone alike.
  {
    route: "GET /api/files/signed",
    access: "anyone",
    request: () => ({ path: "/api/files/signed?key=orgs/x/y&expires=9999999999&sig=forged" }),
    okStatus: 403,
  },
  { route: "GET /api/orgs/:orgId/events", access: "member", request: (w) => ({ path: `${org(w)}/events?after=0` }) },
  {
    route: "GET /api/orgs/:orgId/github/repos",
    access: "admin.manageSettings",
    request: (w) => ({ path: `${org(w)}/github/repos` }),
  },
  {
    route: "POST /api/orgs/:orgId/github/repos/:repoId/resync",
    access: "admin.manageSettings",
    request: (w) => ({ path: `${org(w)}/github/repos/${w.repoId}/resync` }),
  },
  {
    route: "GET /api/orgs/:orgId/github/deliveries",
    access: "admin.manageSettings",
    request: (w) => ({ path: `${org(w)}/github/deliveries?status=dead` }),
  },
  // No delivery of that id: an allowed caller learns so (404), a denied one is stopped first (403).
  {
    route: "POST /api/orgs/:orgId/github/deliveries/:deliveryId/retry",
    access: "admin.manageSettings",
    request: (w) => ({ path: `${org(w)}/github/deliveries/no-such-delivery/retry` }),
    okStatus: 404,
  },
  {
    route: "POST /api/orgs/:orgId/github/repos",
    access: "admin.manageSettings",
    request: (w) => ({ path: `${org(w)}/github/repos`, body: { fullName: `octo/${crypto.randomUUID().slice(0, 8)}` } }),
  },
  {
    route: "POST /api/orgs/:orgId/github/repos/:repoId/webhook-secret",
    access: "admin.manageSettings",
    request: (w) => ({ path: `${org(w)}/github/repos/${w.repoId}/webhook-secret` }),
  },
  {
    route: "GET /api/orgs/:orgId/github/installations",
    access: "admin.manageSettings",
    request: (w) => ({ path: `${org(w)}/github/installations` }),
  },
  // The test backend has no GitHub App: an allowed caller is told so (400), a denied one never gets that far.
  {
    route: "POST /api/orgs/:orgId/github/installations",
    access: "admin.manageSettings",
    request: (w) => ({ path: `${org(w)}/github/installations`, body: { installationId: 1 } }),
    okStatus: 400,
  },

  ...REL_ENTRIES,
  // Bumps the world task's version: after the routes that edit it at version 1.
  {
    route: "POST /api/orgs/:orgId/tasks/bulk",
    access: "tasks.edit",
    request: (w) => ({ path: `${org(w)}/tasks/bulk`, body: { taskIds: [w.taskId], patch: { priority: "high" } } }),
  },

  // Destructive routes last.
  ...REL_DESTRUCTIVE_ENTRIES,
  {
    route: "DELETE /api/orgs/:orgId/tasks/:taskId/comments/:commentId",
    access: "author",
    request: (w) => ({ path: `${task(w)}/comments/${w.commentId}` }),
  },
  {
    route: "DELETE /api/orgs/:orgId/tasks/:taskId/attachments/:attachmentId",
    access: "tasks.edit",
    request: (w) => ({ path: `${task(w)}/attachments/${w.attachmentId}` }),
  },
  { route: "DELETE /api/orgs/:orgId/tasks/:taskId", access: "tasks.delete", request: (w) => ({ path: task(w) }) },
  {
    route: "DELETE /api/orgs/:orgId/projects/:projectId/states/:stateId",
    access: "admin.manageProjects",
    request: (w) => ({ path: `${org(w)}/projects/${w.projectKey}/states/${w.spareStateId}` }),
  },
  {
    route: "DELETE /api/orgs/:orgId/projects/:projectId",
    access: "admin.manageProjects",
    request: (w) => ({ path: `${org(w)}/projects/${w.spareProjectId}` }),
  },
  {
    route: "DELETE /api/orgs/:orgId/labels/:labelId",
    access: "content.manageLabels",
    request: (w) => ({ path: `${org(w)}/labels/${w.labelId}` }),
  },
  {
    route: "DELETE /api/orgs/:orgId/categories/:categoryId",
    access: "content.manageCategories",
    request: (w) => ({ path: `${org(w)}/categories/${w.categoryId}` }),
  },
  {
    route: "DELETE /api/orgs/:orgId/invites/:inviteId",
    access: "admin.manageMembers",
    request: (w) => ({ path: `${org(w)}/invites/${w.inviteId}` }),
  },
  {
    route: "DELETE /api/orgs/:orgId/members/:userId",
    access: "admin.manageMembers",
    request: (w) => ({ path: `${org(w)}/members/${w.victimUserId}` }),
  },
  {
    route: "DELETE /api/orgs/:orgId/webhooks/:webhookId",
    access: "admin.manageSettings",
    request: (w) => ({ path: `${org(w)}/webhooks/${w.webhookId}` }),
  },
  {
    route: "DELETE /api/orgs/:orgId/api-keys/:keyId",
    access: "admin.manageSettings",
    request: (w) => ({ path: `${org(w)}/api-keys/${w.apiKeyId}` }),
  },
  {
    route: "DELETE /api/orgs/:orgId/teams/:teamId",
    access: "admin.manageTeams",
    request: (w) => ({ path: `${org(w)}/teams/${w.teamId}` }),
  },
  // Nothing claimed in the world: an allowed caller finds nothing to release.
  {
    route: "DELETE /api/orgs/:orgId/github/installations/:installationId",
    access: "admin.manageSettings",
    request: (w) => ({ path: `${org(w)}/github/installations/1` }),
    okStatus: 404,
  },
  {
    route: "DELETE /api/orgs/:orgId/github/repos/:repoId",
    access: "admin.manageSettings",
    request: (w) => ({ path: `${org(w)}/github/repos/${w.repoId}` }),
  },
  { route: "DELETE /api/orgs/:orgId", access: "admin.administrator", request: (w) => ({ path: org(w) }) },
  // Signs the caller out, so it goes after everything that needs the session.
  { route: "POST /api/auth/*", access: "anyone", request: () => ({ path: "/api/auth/sign-out", body: {} }) },
];
