import { afterAll, beforeAll, expect, test } from "bun:test";
import { schema } from "@tandem/database";
import { eq } from "drizzle-orm";
import { as, startTestBackend, type TestBackend, type TestUser } from "./harness.ts";

/** Issue 13: a repo link names a project (id or key), defaulting to the org's first. */
let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend({ githubSync: { workerUrl: "https://hooks.example.com" } });
});
afterAll(() => backend.stop());

async function newOrg(user: TestUser, prefix: string): Promise<string> {
  const slug = `${prefix.toLowerCase()}-${crypto.randomUUID().slice(0, 8)}`;
  const made = await as(user)("POST", "/api/orgs", { name: prefix, slug, prefix });
  return (made.body as { id: string }).id;
}

test("a link lands in the first project unless it names one; another org's project or link is refused", async () => {
  const owner = await backend.signUp("Owner");
  const call = as(owner);
  const orgId = await newOrg(owner, "GHP");
  const repos = `/api/orgs/${orgId}/github/repos`;
  const made = await call("POST", repos, { fullName: `octo/${crypto.randomUUID().slice(0, 8)}` });
  expect(made.status).toBe(201);
  const link = made.body as { id: string; projectId: string | null };
  const projects = await backend.db.select().from(schema.project).where(eq(schema.project.orgId, orgId));
  expect(link.projectId).toBe(projects.find((p) => p.key === "GHP")?.id ?? "");

  const unknown = await call("POST", repos, { fullName: `octo/${crypto.randomUUID().slice(0, 8)}`, projectId: "NOPE" });
  expect([unknown.status, (unknown.body as { error: { field?: string } }).error.field]).toEqual([400, "projectId"]);

  const otherOrg = await newOrg(owner, "OTHER");
  expect((await call("PATCH", `${repos}/${link.id}`, { projectId: "OTHER" })).status).toBe(400);
  expect((await call("PATCH", `/api/orgs/${otherOrg}/github/repos/${link.id}`, { projectId: "OTHER" })).status).toBe(
    404,
  );
  expect((await call("PATCH", `${repos}/${link.id}`, {})).status).toBe(400);
  const patched = await call("PATCH", `${repos}/${link.id}`, { projectId: "ghp", enabled: false });
  expect(patched.body).toMatchObject({ id: link.id, projectId: link.projectId, enabled: false });

  const events = await call("GET", `/api/orgs/${orgId}/events?after=0`);
  const types = (events.body as { events: { type: string }[] }).events.map((e) => e.type);
  expect(types.filter((t) => t.endsWith("GITHUB_REPO"))).toEqual(["CREATE_GITHUB_REPO", "UPDATE_GITHUB_REPO"]);
});
