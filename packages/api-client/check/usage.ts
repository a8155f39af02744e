/**
 * An integrator's client generated from the served document (openapi-typescript types in
 * `schema.gen.ts`, written by the backend's OpenAPI test) used through openapi-fetch. It
 * must compile without a single cast: the test runs `tsc` on this file.
 */
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.gen.ts";

type Task = paths["/api/orgs/{orgId}/tasks/{taskId}"]["get"]["responses"][200]["content"]["application/json"];
type ApiError = components["schemas"]["Error"];

const api = createClient<paths>({ baseUrl: "http://localhost:5468", credentials: "include" });

export async function useTandem(orgId: string): Promise<string[]> {
  const signIn = await api.POST("/api/auth/sign-in/email", {
    body: { email: "a@example.test", password: "secret-pw" },
  });
  if (signIn.error) return [signIn.error.error.code, signIn.error.error.requestId];
  const session = await api.GET("/api/auth/get-session");
  const me = await api.GET("/api/me");
  const page = await api.GET("/api/orgs/{orgId}/tasks", {
    params: { path: { orgId }, query: { status: "todo", limit: 50 } },
  });
  const tasks: Task[] = page.data?.tasks ?? [];
  const first = tasks[0];
  if (!first) return [session.data?.user.email ?? "", ...(me.data?.orgs ?? []).map((org) => org.slug)];

  const edited = await api.PATCH("/api/orgs/{orgId}/tasks/{taskId}", {
    params: { path: { orgId, taskId: first.key } },
    body: { title: "Renamed", version: first.version },
  });
  const failure: ApiError | undefined = edited.error;
  if (failure) return [failure.error.code, failure.error.message, failure.error.field ?? ""];

  const uploaded = await api.POST("/api/orgs/{orgId}/tasks/{taskId}/attachments", {
    params: { path: { orgId, taskId: first.id } },
    body: { file: new Blob(["hello"], { type: "text/plain" }) },
    bodySerializer: (body) => {
      const form = new FormData();
      form.set("file", body.file);
      return form;
    },
  });
  const attachmentId = uploaded.data?.id ?? "";
  const link = await api.GET("/api/orgs/{orgId}/tasks/{taskId}/attachments/{attachmentId}/url", {
    params: { path: { orgId, taskId: first.id, attachmentId } },
  });
  const file = await api.GET("/api/orgs/{orgId}/tasks/{taskId}/attachments/{attachmentId}/download", {
    params: { path: { orgId, taskId: first.id, attachmentId } },
    parseAs: "blob",
  });
  const resync = await api.POST("/api/orgs/{orgId}/github/repos/{repoId}/resync", {
    params: { path: { orgId, repoId: "repo_1" } },
  });
  const deliveries = await api.GET("/api/orgs/{orgId}/github/deliveries", {
    params: { path: { orgId }, query: { status: "dead" } },
  });
  const team = await api.DELETE("/api/orgs/{orgId}/teams/{teamId}", { params: { path: { orgId, teamId: "team_1" } } });
  const member = await api.DELETE("/api/orgs/{orgId}/members/{userId}", {
    params: { path: { orgId, userId: "user_1" } },
  });
  const org = await api.DELETE("/api/orgs/{orgId}", { params: { path: { orgId } } });
  const board = await api.GET("/api/public/orgs/{slug}/tasks", { params: { path: { slug: "demo" } } });
  const one = await api.GET("/api/public/orgs/{slug}/tasks/{number}", {
    params: { path: { slug: "demo", number: "1" } },
  });
  await api.POST("/api/auth/sign-out", { body: {} });
  return [
    link.data?.url ?? "",
    String(file.data?.size ?? 0),
    resync.data?.status ?? "",
    ...(deliveries.data ?? []).map((delivery) => `${delivery.event}:${delivery.status}`),
    team.data?.id ?? "",
    member.data?.userId ?? "",
    org.data?.id ?? "",
    ...(board.data?.tasks ?? []).map((task) => task.title),
    one.data?.title ?? "",
  ];
}
