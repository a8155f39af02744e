/**
 * The requests that make each documented status happen, for the OpenAPI test: the generic
 * ones (bad input, cross-origin write, body too large, outage, rate limits) for every
 * operation, and the conflicts and not-founds that need a particular state.
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isEmbeddedUrl, schema } from "@tandem/database";
import { unsubscribeToken } from "@tandem/domain";
import { QUEUES, startQueue } from "@tandem/queue";
import { signDownload } from "@tandem/storage";
import { simpleParser } from "mailparser";
import { startTestBackend, TEST_PASSWORD, TEST_SECRET, type TestBackend, type TestUser } from "./harness.ts";
import type { DocumentCheck } from "./openapi-check.ts";
import { startDatabaseProxy } from "./openapi-stand-ins.ts";
import type { World } from "./permission-matrix.ts";

type Request = { method: string; path: string; body?: unknown };
type CallOptions = { body?: unknown; headers?: Record<string, string>; note?: string; raw?: RequestInit["body"] };

const WEB = "http://localhost:3000";
const run = crypto.getRandomValues(new Uint8Array(1))[0] ?? 0;
let address = 0;

/** Calls from a fresh client address each (unless told one), with the board's Origin, checked. */
export function caller(check: DocumentCheck, baseUrl: string) {
  return async (user: TestUser | null, method: string, path: string, options: CallOptions = {}) => {
    address++;
    const headers = new Headers({
      origin: WEB,
      "x-forwarded-for": `10.${run}.${(address >> 8) & 255}.${address & 255}`,
      ...options.headers,
    });
    if (user) headers.set("cookie", user.cookie);
    let body = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    }
    return check.fetch(`${baseUrl}${path}`, { method, headers, body }, options.note);
  };
}
type Call = ReturnType<typeof caller>;

const email = () => `openapi-${crypto.randomUUID().slice(0, 12)}@example.test`;
const unique = () => crypto.randomUUID().slice(0, 8);

/** Better Auth's documented operations, with a body each accepts. */
const AUTH_REQUESTS: Request[] = [
  { method: "POST", path: "/api/auth/sign-up/email", body: { name: "A", email: email(), password: TEST_PASSWORD } },
  { method: "POST", path: "/api/auth/sign-in/email", body: { email: email(), password: TEST_PASSWORD } },
  { method: "POST", path: "/api/auth/sign-in/social", body: { provider: "github", callbackURL: `${WEB}/` } },
  { method: "GET", path: "/api/auth/get-session" },
  { method: "POST", path: "/api/auth/sign-out", body: {} },
  { method: "POST", path: "/api/auth/send-verification-email", body: { email: email() } },
  { method: "GET", path: "/api/auth/verify-email?token=not-a-token" },
  {
    method: "POST",
    path: "/api/auth/request-password-reset",
    body: { email: email(), redirectTo: `${WEB}/reset-password` },
  },
  { method: "POST", path: "/api/auth/reset-password", body: { newPassword: "new-password-1", token: "not-a-token" } },
];

/** 400 (NUL in the query), 413 (body past the limit) and 403 (a write from another Origin), everywhere. */
export async function standardErrors(call: Call, requests: Request[]) {
  for (const { method, path, body } of [...requests, ...AUTH_REQUESTS]) {
    if (!path.startsWith("/api/")) continue;
    await call(null, method, `${path}${path.includes("?") ? "&" : "?"}q=%00`, { body, note: "NUL in the query" });
    if (["POST", "PUT", "PATCH"].includes(method)) {
      const raw = JSON.stringify("x".repeat(200 * 1024));
      await call(null, method, path, { raw, headers: { "content-type": "application/json" }, note: "too large" });
    }
    if (["POST", "PUT", "PATCH", "DELETE"].includes(method)) {
      await call(null, method, path, { body, headers: { origin: "https://elsewhere.example" }, note: "cross-origin" });
    }
  }
}

/** Conflicts, not-founds and the successes the matrix does not reach. */
export async function specificErrors(args: { call: Call; backend: TestBackend; owner: TestUser; world: World }) {
  const { call, backend, owner, world } = args;
  const org = `/api/orgs/${world.orgId}`;
  const task = `${org}/tasks/${world.taskId}`;

  // ETags: 304 for a client that already holds the answer; unknown public boards are 404.
  const board = `/projects/${world.projectKey}`;
  const publicPaths = ["", "/tasks", `/tasks/${world.taskNumber}`, "/projects", board, `${board}/tasks`];
  publicPaths.push(`${board}/tasks/${world.taskNumber}`);
  for (const [user, path] of [
    [owner, `${org}/tasks?status=todo`],
    ...publicPaths.map((suffix) => [null, `/api/public/orgs/${world.slug}${suffix}`] as const),
  ] as const) {
    const first = await call(user, "GET", path);
    await call(user, "GET", path, { headers: { "if-none-match": first.headers.get("etag") ?? "" }, note: "cached" });
  }
  for (const suffix of publicPaths) await call(null, "GET", `/api/public/orgs/missing-${unique()}${suffix}`);

  // Relations: the same one twice is a conflict.
  await call(owner, "POST", `${task}/relations`, { body: { type: "blocks", taskId: world.otherTaskId } });

  // Files: an upload, its signed link, and a signed link to nothing.
  const form = new FormData();
  form.set("file", new File(["hello"], "hello.txt", { type: "text/plain" }));
  const uploaded = await call(owner, "POST", `${task}/attachments`, { raw: form });
  const link = await call(owner, "GET", `${task}/attachments/${uploaded.body.id}/url`);
  const signed = new URL(link.body.url);
  await call(null, "GET", `${signed.pathname}${signed.search}`);
  const expires = Math.floor(Date.now() / 1000) + 300;
  const missing = new URLSearchParams({ key: "orgs/none/missing", expires: String(expires) });
  missing.set("sig", signDownload(TEST_SECRET, "orgs/none/missing", expires));
  await call(null, "GET", `/api/files/signed?${missing}`);

  // Imports: a CSV import queued (202) and its progress (the standard walk's 200 KiB body is
  // past this backend's import limit: 413).
  const csv = new FormData();
  csv.set("file", new File(["Title\nFirst\n"], "tasks.csv", { type: "text/csv" }));
  csv.set("format", "csv");
  csv.set("mapping", JSON.stringify({ title: "Title" }));
  const queued = await call(owner, "POST", `${org}/imports`, { raw: csv });
  await call(owner, "GET", `${org}/imports/${queued.body.id}`);

  // One-click unsubscribe: a signed link works without a session; from a foreign page, refused.
  const unsubscribe = `/api/notifications/unsubscribe?token=${unsubscribeToken(TEST_SECRET, owner.id, "commented")}`;
  await call(null, "POST", unsubscribe, { headers: { origin: "https://evil.example" } });
  await call(null, "POST", unsubscribe);

  // Invites: unknown code, bound to another address, already used by someone else.
  await call(owner, "POST", `/api/invites/missing-${unique()}/accept`);
  const bound = await call(owner, "POST", `${org}/invites`, { body: { email: email() } });
  await call(await backend.signUp("Stranger"), "POST", `/api/invites/${bound.body.code}/accept`);
  const open = await call(owner, "POST", `${org}/invites`, { body: {} });
  await call(await backend.signUp("First"), "POST", `/api/invites/${open.body.code}/accept`);
  await call(await backend.signUp("Second"), "POST", `/api/invites/${open.body.code}/accept`);

  // Names and slugs that are taken.
  const other = await call(owner, "POST", "/api/orgs", {
    body: { name: "Other", slug: `o-${unique()}`, prefix: "OT" },
  });
  await call(owner, "POST", "/api/orgs", { body: { name: "Again", slug: other.body.slug, prefix: "AG" } });
  await call(owner, "PATCH", org, { body: { slug: other.body.slug } });
  // Projects: a taken key (create and rename), the org's last project, a state that has tasks.
  await call(owner, "POST", `${org}/projects`, { body: { name: "Taken", key: world.projectKey } });
  const made = await call(owner, "POST", `${org}/projects`, { body: { name: "Made", key: "MADE" } });
  await call(owner, "PATCH", `${org}/projects/${made.body.id}`, { body: { key: world.projectKey } });
  await call(owner, "DELETE", `/api/orgs/${other.body.id}/projects/OT`);
  const project = await call(owner, "GET", `${org}/projects/${world.projectKey}`);
  const todo = (project.body.states as { id: string; category: string }[]).find((s) => s.category === "unstarted");
  await call(owner, "DELETE", `${org}/projects/${world.projectKey}/states/${todo?.id}`);
  await call(owner, "POST", `${org}/teams`, { body: { name: "Target team" } });
  const spare = await call(owner, "POST", `${org}/teams`, { body: { name: `Spare ${unique()}` } });
  await call(owner, "PATCH", `${org}/teams/${spare.body.id}`, { body: { name: "Target team" } });
  for (const [kind, taken] of [
    ["labels", "bug"],
    ["categories", "Backend"],
  ] as const) {
    await call(owner, "POST", `${org}/${kind}`, { body: { name: taken } });
    const made = await call(owner, "POST", `${org}/${kind}`, { body: { name: `${taken}-${unique()}` } });
    await call(owner, "PATCH", `${org}/${kind}/${made.body.id}`, { body: { name: taken } });
  }
  const repo = `octo/${unique()}`;
  const linked = await call(owner, "POST", `${org}/github/repos`, { body: { fullName: repo } });
  await call(owner, "POST", `${org}/github/repos`, { body: { fullName: repo } });
  // A dead delivery is retried once (200); retrying it again while it is queued is a conflict.
  const deliveryId = await deadDelivery(backend, { linkId: linked.body.id, repository: repo });
  await call(owner, "POST", `${org}/github/deliveries/${deliveryId}/retry`);
  await call(owner, "POST", `${org}/github/deliveries/${deliveryId}/retry`);

  // The org's last administrator stays.
  const teams = await call(owner, "GET", `${org}/teams`);
  const admins = (teams.body as { id: string; permissions: string[] }[]).find((team) =>
    team.permissions.includes("admin.administrator"),
  );
  await call(owner, "DELETE", `${org}/teams/${admins?.id}/members/${owner.id}`);
  await call(owner, "DELETE", `${org}/teams/${admins?.id}`);
  await call(owner, "DELETE", `${org}/members/${owner.id}`);

  // A stale edit answers the current task; neighbours in the wrong order are a conflict.
  await call(owner, "PATCH", task, { body: { title: "Stale", version: 999 } });
  const a = await call(owner, "POST", `${org}/tasks`, { body: { title: "A", status: "todo" } });
  const b = await call(owner, "POST", `${org}/tasks`, { body: { title: "B", status: "todo" } });
  await call(owner, "POST", `${task}/move`, { body: { status: "todo", afterId: b.body.id, beforeId: a.body.id } });

  // A GitHub App installation: claimed, refused to a second org, released.
  const installationId = 1_000_000 + Math.floor(Math.random() * 1_000_000_000);
  // Claiming needs the admin signed in with GitHub: link an account as the OAuth callback would.
  const context = await backend.auth.$context;
  await context.internalAdapter.linkAccount({
    userId: owner.id,
    providerId: "github",
    accountId: String(installationId),
    accessToken: "gho_openapi-test",
    scope: "read:user",
  });
  await call(owner, "POST", `${org}/github/installations`, { body: { installationId } });
  await call(owner, "POST", `/api/orgs/${other.body.id}/github/installations`, { body: { installationId } });
  await call(owner, "DELETE", `${org}/github/installations/${installationId}`);
}

/** Mails written to the outbox for `to`, newest last: their verification links. */
/** A delivery out of retries, as the worker leaves one: its row dead, its job failed. */
async function deadDelivery(backend: TestBackend, link: { linkId: string; repository: string }): Promise<string> {
  const url = String(process.env.DATABASE_URL);
  const deliveryId = crypto.randomUUID();
  await backend.db
    .insert(schema.webhookDelivery)
    .values({ id: deliveryId, ...link, event: "issues", action: "opened", status: "dead", error: "boom" });
  const boss = await startQueue({ connectionString: url, embedded: isEmbeddedUrl(url) });
  try {
    const jobId = await boss.send(QUEUES.githubEvent, { deliveryId }, { retryLimit: 0 });
    if (jobId) await boss.fail(QUEUES.githubEvent, jobId, { message: "boom" });
  } finally {
    await boss.stop({ graceful: false });
  }
  return deliveryId;
}

async function verificationLinks(outbox: string, to: string): Promise<URL[]> {
  const links: URL[] = [];
  for (const file of readdirSync(outbox).sort()) {
    const mail = await simpleParser(readFileSync(join(outbox, file)));
    const link = mail.text?.match(/https?:\/\/\S+verify-email\S+/)?.[0];
    if (link && JSON.stringify(mail.to).includes(to)) links.push(new URL(link));
  }
  return links;
}

/** The token of the password-reset link mailed to `to` (the link's last path segment). */
async function resetToken(outbox: string, to: string): Promise<string> {
  for (const file of readdirSync(outbox).sort()) {
    const mail = await simpleParser(readFileSync(join(outbox, file)));
    const link = mail.text?.match(/https?:\/\/\S+reset-password\/\S+/)?.[0];
    if (link && JSON.stringify(mail.to).includes(to)) return new URL(link).pathname.split("/").pop() ?? "";
  }
  throw new Error(`no password-reset mail to ${to}`);
}

/** Better Auth's routes, as the board uses them. */
export async function authOperations(args: { call: Call; backend: TestBackend; outbox: string }) {
  const { call, outbox } = args;
  const address = email();
  await call(null, "POST", "/api/auth/sign-up/email", {
    body: { name: "New", email: address, password: TEST_PASSWORD },
  });
  await call(null, "POST", "/api/auth/sign-in/email", { body: { email: address, password: "wrong-password-1" } });
  const signedIn = await call(null, "POST", "/api/auth/sign-in/email", {
    body: { email: address, password: TEST_PASSWORD },
  });
  const cookie = (signedIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const user = { cookie } as TestUser;
  await call(user, "GET", "/api/auth/get-session");
  await call(null, "GET", "/api/auth/get-session", { note: "no session" });
  await call(null, "POST", "/api/auth/sign-in/social", { body: { provider: "github", callbackURL: `${WEB}/` } });
  await call(user, "POST", "/api/auth/send-verification-email", { body: { email: address, callbackURL: `${WEB}/` } });
  const links = await verificationLinks(outbox, address);
  const [first, second] = links.map((link) => link.searchParams.get("token"));
  await call(null, "GET", `/api/auth/verify-email?token=${first}`);
  await call(null, "GET", `/api/auth/verify-email?token=${second}&callbackURL=${encodeURIComponent(`${WEB}/`)}`);
  await call(null, "GET", "/api/auth/verify-email?token=not-a-token");
  await call(null, "POST", "/api/auth/request-password-reset", {
    body: { email: address, redirectTo: `${WEB}/reset-password` },
  });
  await call(null, "POST", "/api/auth/request-password-reset", {
    body: { email: address, redirectTo: "https://elsewhere.example/reset" },
    note: "reset page on another site",
  });
  const token = await resetToken(outbox, address);
  await call(null, "POST", "/api/auth/reset-password", {
    body: { newPassword: "new-password-1", token: "not-a-token" },
  });
  await call(null, "POST", "/api/auth/reset-password", { body: { newPassword: "new-password-1", token } });
  await call(user, "POST", "/api/auth/sign-out", { body: {} });
}

/** A backend with tight limits: the public board's 429, Better Auth's 429s, GitHub sign-in not offered (404). */
export async function limitedOperations(check: DocumentCheck, world: World) {
  const limited = await startTestBackend({
    publicRateLimit: { windowMs: 60_000, limit: 1 },
    credentialLimit: { window: 900, max: 1 },
    trustProxy: true,
  });
  try {
    const call = caller(check, limited.url);
    const headers = { "x-forwarded-for": `10.${run}.255.${Math.floor(Math.random() * 250)}` };
    const board = `/projects/${world.projectKey}`;
    const suffixes = ["", "/tasks", `/tasks/${world.taskNumber}`, "/projects", board, `${board}/tasks`];
    for (const suffix of [...suffixes, `${board}/tasks/${world.taskNumber}`, ""]) {
      await call(null, "GET", `/api/public/orgs/${world.slug}${suffix}`, { headers });
    }
    for (const request of AUTH_REQUESTS) {
      // Each path has its own counter: the busiest allows 100 a minute.
      for (let attempt = 0; attempt < 110; attempt++) {
        const answer = await call(null, request.method, request.path, { body: request.body, headers });
        if (answer.status === 429) break;
      }
    }
  } finally {
    await limited.stop();
  }
}

/** A backend whose database goes away (a cut TCP proxy): every operation answers 503. */
export async function outage(check: DocumentCheck, requests: Request[]) {
  const proxy = await startDatabaseProxy(process.env.DATABASE_URL ?? "");
  const down = await startTestBackend({ databaseUrl: proxy.url, trustProxy: true });
  try {
    const call = caller(check, down.url);
    await proxy.cut();
    await call(null, "GET", "/health/ready", { note: "database gone" });
    for (const { method, path, body } of [...requests, ...AUTH_REQUESTS]) {
      await call(null, method, path, { body, note: "database gone" });
    }
  } finally {
    await proxy.restore();
    await down.stop();
    await proxy.stop();
  }
}
