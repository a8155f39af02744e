/**
 * Text Postgres cannot store (NUL) or JSON cannot carry faithfully (lone UTF-16 surrogates)
 * must be refused as bad input, naming the field, wherever it enters: every path parameter,
 * query value and body string of every route in the permission matrix.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { addTestMember } from "@tandem/domain/testing";
import { createLogger } from "@tandem/util/server";
import { sql } from "drizzle-orm";
import { createApp } from "../src/app.ts";
import {
  isErrorBody,
  ok,
  type RawResult,
  startTestBackend,
  type TestBackend,
  type TestUser,
  WEB_ORIGIN,
} from "./harness.ts";
import { buildWorld } from "./matrix-world.ts";
import { MATRIX, type World } from "./permission-matrix.ts";

const NUL = "\u0000";
const LONE_SURROGATE = "\uD800";

type Variant = { label: string; path: string; body?: unknown; field: string };

let backend: TestBackend;
let admin: TestUser;
let world: World;
beforeAll(async () => {
  backend = await startTestBackend();
  const owner = await backend.signUp("Owner");
  const victim = await backend.signUp("Victim");
  world = await buildWorld(backend, owner, victim);
  admin = await backend.signUp("Admin");
  await addTestMember(backend.db, { orgId: world.orgId, userId: admin.id, permissions: ["admin.administrator"] });
});
afterAll(() => backend.stop());

/** Every string leaf of a JSON value with its dotted path (`userIds.0`), replaced by `bad(value)`. */
function poisonEach(value: unknown, bad: (text: string) => string, path: string[] = []): [string, unknown][] {
  if (typeof value === "string") return [[path.join("."), bad(value)]];
  if (Array.isArray(value)) {
    return value.flatMap((item, index) =>
      poisonEach(item, bad, [...path, String(index)]).map(([field, poisoned]): [string, unknown] => [
        field,
        value.map((other, i) => (i === index ? poisoned : other)),
      ]),
    );
  }
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) =>
      poisonEach(item, bad, [...path, key]).map(([field, poisoned]): [string, unknown] => [
        field,
        { ...value, [key]: poisoned },
      ]),
    );
  }
  return [];
}

const normalise = (route: string) => route.replace(/:\w+/g, ":param");
const REGISTERED = createApp({} as never).routes.filter((r) => r.method !== "ALL");

/** The route's path as registered (the matrix may call `:id` `:labelId`): names the field. */
function registeredPattern(route: string): string {
  const found = REGISTERED.find((r) => normalise(`${r.method} ${r.path}`) === normalise(route));
  return found?.path ?? route.split(" ")[1] ?? "";
}

/** One request per path parameter, query value and body string, each carrying `bad` text. */
function variantsOf(route: string, path: string, body: unknown): Variant[] {
  const pattern = registeredPattern(route).split("/");
  const [pathname = "", query = ""] = path.split("?");
  const segments = pathname.split("/");
  const variants: Variant[] = [];
  pattern.forEach((name, index) => {
    if (!name.startsWith(":")) return;
    const poisoned = segments.map((s, i) => (i === index ? `${s}%00x` : s)).join("/");
    variants.push({
      label: `NUL in :${name.slice(1)}`,
      path: query ? `${poisoned}?${query}` : poisoned,
      body,
      field: name.slice(1),
    });
  });
  const params = new URLSearchParams(query);
  for (const key of params.keys()) {
    const poisoned = new URLSearchParams(params);
    poisoned.set(key, `${params.get(key)}${NUL}`);
    variants.push({ label: `NUL in ?${key}`, path: `${pathname}?${poisoned}`, body, field: key });
  }
  for (const [bad, name] of [
    [(text: string) => `${text}${NUL}x`, "NUL"],
    [(text: string) => `${text}${LONE_SURROGATE}x`, "lone surrogate"],
  ] as const) {
    for (const [field, poisoned] of poisonEach(body, bad)) {
      variants.push({ label: `${name} in body ${field}`, path, body: poisoned, field });
    }
  }
  return variants;
}

function problem(variant: Variant, result: RawResult): string | null {
  const error = isErrorBody(result.body) ? result.body.error : undefined;
  if (result.status === 400 && error && error.field === variant.field) return null;
  return `${variant.label} (${variant.path}): got ${result.status} ${JSON.stringify(result.body).slice(0, 200)}`;
}

describe("NUL bytes and lone surrogates are 400s naming the field, on every route", () => {
  test("the walk covers path parameters, query values and body strings", () => {
    const all = MATRIX.flatMap((entry) => {
      const { path, body } = entry.request(world);
      return variantsOf(entry.route, path, body);
    });
    expect(all.some((v) => v.label.startsWith("NUL in :"))).toBe(true);
    expect(all.some((v) => v.label.startsWith("NUL in ?"))).toBe(true);
    expect(all.some((v) => v.label.startsWith("lone surrogate in body"))).toBe(true);
    expect(all.length).toBeGreaterThan(60);
  });

  test("every variant of every matrix route", async () => {
    const failures: string[] = [];
    for (const entry of MATRIX) {
      const [method = "GET"] = entry.route.split(" ");
      const { path, body } = entry.request(world);
      for (const variant of variantsOf(entry.route, path, body)) {
        const result = await admin.raw(method, variant.path, variant.body, { headers: { origin: WEB_ORIGIN } });
        const found = problem(variant, result);
        if (found) failures.push(`${entry.route}: ${found}`);
      }
    }
    expect(failures).toEqual([]);
  });

  test("task-list filters and cursors: NUL, a bad status, a malformed cursor", async () => {
    const tasks = `/api/orgs/${world.orgId}/tasks`;
    const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const cases: [string, string][] = [
      [`${tasks}?q=a%00b`, "q"],
      [`${tasks}?label=lbl_x%00`, "label"],
      [`${tasks}?assignee=%00`, "assignee"],
      [`${tasks}?cursor=${cursor(["someday", "a0", "task_x"])}`, "cursor"],
      [`${tasks}?cursor=${cursor(["todo", `a0${NUL}`, "task_x"])}`, "cursor"],
      [`${tasks}?cursor=${cursor(["todo", "a0", `task_${NUL}`])}`, "cursor"],
      [`${tasks}?cursor=%00`, "cursor"],
    ];
    const failures: string[] = [];
    for (const [path, field] of cases) {
      const found = problem({ label: path, path, field }, await admin.raw("GET", path));
      if (found) failures.push(found);
    }
    expect(failures).toEqual([]);
  });

  test("an uploaded file's name with a NUL", async () => {
    const form = new FormData();
    form.set("file", new File(["hello"], `bad${NUL}name.txt`, { type: "text/plain" }));
    const response = await fetch(`${backend.url}/api/orgs/${world.orgId}/tasks/${world.taskId}/attachments`, {
      method: "POST",
      headers: { cookie: admin.cookie, origin: WEB_ORIGIN },
      body: form,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error).toMatchObject({ code: "BAD_REQUEST", field: "file" });
  });

  test("a database error caused by input (SQLSTATE 22xxx) that slips past validation is a 400, not a 500", async () => {
    const nul = await backend.db.execute(sql`select ${`a${NUL}b`}::text`).catch((error: unknown) => error);
    const badEnum = await backend.db.execute(sql`select 'someday'::task_status`).catch((error: unknown) => error);
    for (const error of [nul, badEnum]) {
      expect(error).toBeInstanceOf(Error);
      const app = createApp({
        ...backend.deps,
        logger: createLogger({ service: "test" }, "error"),
        webOrigins: [WEB_ORIGIN],
        readiness: async () => {
          throw error;
        },
      });
      const response = await app.request("/health/ready");
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).error).toMatchObject({
        code: "BAD_REQUEST",
        requestId: expect.any(String),
      });
    }
  });

  test("the world is intact: nothing was written by a refused request", async () => {
    const task = await ok(
      admin.api.api.orgs[":orgId"].tasks[":taskId"].$get({ param: { orgId: world.orgId, taskId: world.taskId } }),
      200,
    );
    expect(task.title).not.toContain(NUL);
  });
});
