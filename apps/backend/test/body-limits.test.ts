import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createApp } from "../src/app.ts";
import { errorOf, ok, startTestBackend, type TestBackend, type TestUser, WEB_ORIGIN } from "./harness.ts";

// The documented defaults (README, .env.example): 10 MiB attachments, 1 MiB JSON bodies.
const MiB = 1024 * 1024;
const ATTACHMENT_MAX = 10 * MiB;
const MAX_BODY = MiB;

let backend: TestBackend;
let owner: TestUser;
let tasksPath = "";
let uploadPath = "";
beforeAll(async () => {
  backend = await startTestBackend();
  owner = await backend.signUp("Owner");
  const org = await ok(
    owner.api.api.orgs.$post({
      json: {
        name: "Limits",
        slug: `lim-${crypto.randomUUID().slice(0, 8)}`,
        prefix: "LIM",
      },
    }),
    201,
  );
  tasksPath = `/api/orgs/${org.id}/tasks`;
  const task = await ok(
    owner.api.api.orgs[":orgId"].tasks.$post({ param: { orgId: org.id }, json: { title: "Has files" } }),
    201,
  );
  uploadPath = `${tasksPath}/${task.id}/attachments`;
});
afterAll(() => backend.stop());

/** A browser's request: from the web origin, reading whatever comes back. */
async function send(path: string, init: RequestInit) {
  const headers = new Headers(init.headers);
  headers.set("origin", WEB_ORIGIN);
  headers.set("cookie", owner.cookie);
  const response = await fetch(`${backend.url}${path}`, { ...init, headers });
  const text = await response.text();
  let body: any = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body };
}

function upload(size: number) {
  const form = new FormData();
  form.set("file", new File([new Uint8Array(size)], `blob-${size}.pdf`, { type: "application/pdf" }));
  return send(uploadPath, { method: "POST", body: form });
}

/** What the browser needs to show the reason: the error shape and CORS headers for our origin. */
function expectReadableError(result: Awaited<ReturnType<typeof send>>, status: number, code: string) {
  expect(result.status).toBe(status);
  expect(result.body?.error).toMatchObject({ code, message: expect.any(String), requestId: expect.any(String) });
  expect(result.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
  expect(result.headers.get("access-control-allow-credentials")).toBe("true");
}

describe("documented limits hold end to end", () => {
  test("an attachment of exactly the limit (10 MiB) is stored", async () => {
    const result = await upload(ATTACHMENT_MAX);
    expect(result.status).toBe(201);
    expect(result.body.size).toBe(ATTACHMENT_MAX);
    expect(result.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
  });

  test("6 MiB, over Bun's old 4 MiB cut-off, is stored", async () => {
    expect((await upload(6 * MiB)).status).toBe(201);
  });

  test("one byte over the attachment limit is a 413 the browser can read", async () => {
    expectReadableError(await upload(ATTACHMENT_MAX + 1), 413, "PAYLOAD_TOO_LARGE");
  });

  test("an 11 MiB and a 40 MiB upload are 413s the browser can read, naming the limit", async () => {
    for (const size of [11 * MiB, 40 * MiB]) {
      const result = await upload(size);
      // Read before toMatchObject: Bun's matcher writes its asymmetric matchers into the object.
      const message = result.body?.error?.message;
      expectReadableError(result, 413, "PAYLOAD_TOO_LARGE");
      expect(message).toBe(`Files may be at most ${ATTACHMENT_MAX} bytes`);
    }
  });

  test("a JSON body up to MAX_BODY_BYTES is accepted, one byte more is a readable 413", async () => {
    const json = (size: number) => {
      const shell = JSON.stringify({ title: "big", description: "" });
      return `${shell.slice(0, -2)}${"x".repeat(size - shell.length)}"}`;
    };
    const headers = { "content-type": "application/json" };
    // Description is capped at 100k characters; the body limit is what a larger one hits.
    const atLimit = await send(tasksPath, { method: "POST", headers, body: json(MAX_BODY) });
    expect(atLimit.status).toBe(400);
    expect(errorOf(atLimit).error.field).toBe("description");
    expectReadableError(
      await send(tasksPath, { method: "POST", headers, body: json(MAX_BODY + 1) }),
      413,
      "PAYLOAD_TOO_LARGE",
    );
  });

  test("a 10 MB JSON body, sized or streamed, is a readable 413", async () => {
    const headers = { "content-type": "application/json" };
    const big = `{"title":"${"x".repeat(10_000_000)}"}`;
    expectReadableError(await send(tasksPath, { method: "POST", headers, body: big }), 413, "PAYLOAD_TOO_LARGE");
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 256 * 1024) {
          controller.enqueue(bytes.subarray(offset, offset + 256 * 1024));
        }
        controller.close();
      },
    });
    expectReadableError(
      await send(tasksPath, { method: "POST", headers, body: stream, duplex: "half" } as RequestInit),
      413,
      "PAYLOAD_TOO_LARGE",
    );
  });
});

describe("every error carries CORS headers for the web origin", () => {
  test("404 (route and id), 400, 401, 403", async () => {
    expectReadableError(await send("/api/nope", { method: "GET" }), 404, "NOT_FOUND");
    expectReadableError(await send(`${tasksPath}/task_missing`, { method: "GET" }), 404, "NOT_FOUND");
    expectReadableError(
      await send(tasksPath, { method: "POST", headers: { "content-type": "application/json" }, body: "{" }),
      400,
      "BAD_REQUEST",
    );
    const anonymous = await fetch(`${backend.url}/api/me`, { headers: { origin: WEB_ORIGIN } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
    expect(((await anonymous.json()) as any).error.code).toBe("UNAUTHORIZED");
  });

  test("429 from the sign-in limit", async () => {
    let last: Response | null = null;
    // One account's failures lock it (AUTH_ACCOUNT_LIMIT, 5 per window): bounded well above that.
    const email = `nobody-${crypto.randomUUID()}@example.test`;
    for (let attempt = 0; attempt < 20; attempt++) {
      last = await fetch(`${backend.url}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { origin: WEB_ORIGIN, "content-type": "application/json" },
        body: JSON.stringify({ email, password: "wrong-wrong-wrong" }),
      });
      await last.body?.cancel();
      if (last.status === 429) break;
    }
    expect(last?.status).toBe(429);
    expect(last?.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
  });

  test("500 from an unexpected failure", async () => {
    const silent = { error() {}, warn() {}, info() {}, debug() {}, child: () => silent };
    const app = createApp({
      ...backend.deps,
      logger: silent,
      webOrigins: [WEB_ORIGIN],
      maxBodyBytes: MAX_BODY,
      services: { ...backend.deps.services, limits: { maxBytes: ATTACHMENT_MAX, orgQuotaBytes: ATTACHMENT_MAX } },
      readiness: async () => {
        throw new Error("boom");
      },
    });
    const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: app.fetch });
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/health/ready`, { headers: { origin: WEB_ORIGIN } });
      expect(response.status).toBe(500);
      expect(response.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
      expect(((await response.json()) as any).error).toMatchObject({
        code: "INTERNAL",
        message: "Internal server error",
      });
    } finally {
      await server.stop(true);
    }
  });
});
