/**
 * An org administrator talking to a real backend over HTTP for the import and export tests:
 * JSON calls, multipart imports, and waiting for an import to end.
 */
import { createUserWithSession } from "@tandem/backend/compose";
import type { TImport } from "@tandem/contracts";
import { type GithubBackend, ORIGIN } from "./github-backend.ts";
import { until } from "./harness.ts";

export type Admin = Awaited<ReturnType<typeof transferAdmin>>;

export async function transferAdmin(api: GithubBackend, name: string) {
  const email = `${name.toLowerCase()}-${crypto.randomUUID()}@example.test`;
  const { userId, cookie } = await createUserWithSession(api.auth, { email, password: "password-123", name });
  const headers = { cookie, origin: ORIGIN };
  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: response.status, body: parsed, text, headers: response.headers };
  }
  async function json(method: string, path: string, body?: unknown, status = 200) {
    const response = await call(method, path, body);
    if (response.status !== status) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
    return response.body;
  }
  async function newOrg(orgName: string, prefix: string) {
    const slug = `${orgName.toLowerCase()}-${crypto.randomUUID().slice(0, 8)}`;
    const org = await json("POST", "/api/orgs", { name: orgName, slug, prefix }, 201);
    return { id: org.id as string, slug, path: `/api/orgs/${org.id}` };
  }
  /** POST …/imports as multipart. */
  async function upload(
    orgPath: string,
    fields: { file: string; filename?: string; format: string; mapping?: unknown; dryRun?: boolean; project?: string },
  ) {
    const form = new FormData();
    form.set("file", new File([fields.file], fields.filename ?? "import.json"));
    form.set("format", fields.format);
    if (fields.mapping !== undefined) form.set("mapping", JSON.stringify(fields.mapping));
    if (fields.dryRun) form.set("dryRun", "true");
    if (fields.project) form.set("project", fields.project);
    const response = await fetch(`${api.url}${orgPath}/imports`, { method: "POST", headers, body: form });
    return { status: response.status, body: (await response.json()) as any };
  }
  /** Waits until the import has completed or failed, and answers it. */
  async function finished(orgPath: string, importId: string, timeoutMs = 30_000): Promise<TImport> {
    return until(async () => {
      const job = (await json("GET", `${orgPath}/imports/${importId}`)) as TImport;
      return job.status === "completed" || job.status === "failed" ? job : undefined;
    }, timeoutMs);
  }
  return { userId, email, headers, call, json, newOrg, upload, finished };
}
