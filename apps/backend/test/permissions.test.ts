import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ALL_PERMISSIONS, grants, type TPermission } from "@tandem/contracts";
import { addTestMember, createTestOrg } from "@tandem/domain/testing";
import { createApp } from "../src/app.ts";
import { isErrorBody, startTestBackend, type TestBackend, WEB_ORIGIN } from "./harness.ts";
import { buildWorld } from "./matrix-world.ts";
import { type Access, MATRIX } from "./permission-matrix.ts";

type Role = { name: string; kind: "anonymous" | "outsider" | "member"; permissions: TPermission[] };

const ROLES: Role[] = [
  { name: "anonymous", kind: "anonymous", permissions: [] },
  { name: "outsider", kind: "outsider", permissions: [] },
  { name: "member", kind: "member", permissions: [] },
  ...ALL_PERMISSIONS.filter((p) => p !== "admin.administrator").map((p) => ({
    name: p,
    kind: "member" as const,
    permissions: [p],
  })),
  { name: "administrator", kind: "member", permissions: ["admin.administrator"] },
];

function isAllowed(role: Role, access: Access): boolean {
  if (access === "anyone") return true;
  if (role.kind === "anonymous") return false;
  if (access === "signedIn") return true;
  if (role.kind === "outsider") return false;
  if (access === "member") return true;
  if (access === "author") return role.permissions.includes("admin.administrator");
  return grants(new Set(role.permissions), access);
}

/** The status a denied role must get: 401 without a session, 404 outside the org, else 403. */
function deniedStatus(role: Role): number {
  if (role.kind === "anonymous") return 401;
  if (role.kind === "outsider") return 404;
  return 403;
}

const normalise = (route: string) => route.replace(/:\w+/g, ":param");

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(() => backend.stop());

describe("permission matrix", () => {
  test("every registered route is in the matrix, and every matrix route is registered", () => {
    const app = createApp({} as never);
    const registered = new Set(
      app.routes.filter((r) => r.method !== "ALL").map((r) => normalise(`${r.method} ${r.path}`)),
    );
    const inMatrix = new Set(MATRIX.map((entry) => normalise(entry.route)));
    expect([...registered].filter((route) => !inMatrix.has(route))).toEqual([]);
    expect([...inMatrix].filter((route) => !registered.has(route))).toEqual([]);
    expect(MATRIX.length).toBe(inMatrix.size);
  });

  for (const role of ROLES) {
    test(`role ${role.name}`, async () => {
      const owner = await backend.signUp("Owner");
      const victim = await backend.signUp("Victim");
      const world = await buildWorld(backend, owner, victim);
      let caller = backend.raw;
      if (role.kind !== "anonymous") {
        const user = await backend.signUp(role.name);
        if (role.kind === "outsider") await createTestOrg(backend.db, { ownerId: user.id });
        else await addTestMember(backend.db, { orgId: world.orgId, userId: user.id, permissions: role.permissions });
        caller = user.raw;
      }

      const failures: string[] = [];
      for (const entry of MATRIX) {
        const [method = "GET"] = entry.route.split(" ");
        const { path, body } = entry.request(world);
        const result = await caller(method, path, body, { headers: { origin: WEB_ORIGIN } });
        const allowed = isAllowed(role, entry.access);
        const ok = entry.okStatus ? result.status === entry.okStatus : result.status >= 200 && result.status < 300;
        if (allowed && !ok) {
          failures.push(`${entry.route}: expected 2xx, got ${result.status} ${JSON.stringify(result.body)}`);
        }
        if (!allowed) {
          const expected = deniedStatus(role);
          const shaped = isErrorBody(result.body);
          if (result.status !== expected || !shaped) {
            failures.push(
              `${entry.route}: expected ${expected} with the error shape, got ${result.status} ${JSON.stringify(result.body)}`,
            );
          }
        }
      }
      expect(failures).toEqual([]);
    });
  }
});
