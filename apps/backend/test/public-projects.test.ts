import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TProject, TPublicBoard, TPublicProjectList, TPublicTaskPage, TTask } from "@tandem/contracts";
import { expectStatus, startTestBackend, type TestBackend, type TestUser, WEB_ORIGIN } from "./harness.ts";
import { TestSocket } from "./ws-client.ts";

/** Issue 13: public boards per project; a private project's tasks never show, the old address still works. */
let backend: TestBackend;
let owner: TestUser;
const sockets: TestSocket[] = [];
beforeAll(async () => {
  backend = await startTestBackend();
  owner = await backend.signUp("Owner");
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await backend.stop();
});

const call = (method: string, path: string, body?: unknown) =>
  owner.raw(method, path, body, { headers: { origin: WEB_ORIGIN } });
const anonymous = (path: string) => backend.raw("GET", `/api/public/orgs${path}`);

type World = { orgId: string; slug: string; ops: TProject; sec: TProject; tasks: Record<string, TTask> };

/**
 * An org published the old way (the org's switch and fields: its first project, PUB), a second
 * public project OPS and a private one SEC, each with a public-visibility task and a private one.
 */
async function world(): Promise<World> {
  const slug = `pp-${crypto.randomUUID().slice(0, 8)}`;
  const { id: orgId } = expectStatus(
    await call("POST", "/api/orgs", { name: "Projects", slug, prefix: "PUB" }),
    201,
  ) as {
    id: string;
  };
  const org = `/api/orgs/${orgId}`;
  expectStatus(await call("PATCH", org, { publicBoard: true, publicFields: ["description", "labels"] }), 200);
  const ops = expectStatus(await call("POST", `${org}/projects`, { name: "Operations", key: "OPS" }), 201) as TProject;
  expectStatus(await call("PATCH", `${org}/projects/OPS`, { publicBoard: true, publicFields: ["priority"] }), 200);
  const sec = expectStatus(await call("POST", `${org}/projects`, { name: "Secret", key: "SEC" }), 201) as TProject;
  const tasks: Record<string, TTask> = {};
  for (const [name, projectId, visibility] of [
    ["pubShown", undefined, "public"],
    ["pubHidden", undefined, "private"],
    ["opsShown", ops.id, "public"],
    ["secShown", sec.id, "public"],
  ] as const) {
    const json = { title: name, description: `about ${name}`, priority: "high", visibility, projectId };
    tasks[name] = expectStatus(await call("POST", `${org}/tasks`, json), 201) as TTask;
  }
  return { orgId, slug, ops, sec, tasks };
}

const titles = (page: unknown) => (page as TPublicTaskPage).tasks.map((t) => t.title);

describe("public boards per project", () => {
  test("the org lists its public projects; each board shows its own public tasks, redacted by its fields", async () => {
    const w = await world();
    const list = expectStatus(await anonymous(`/${w.slug}/projects`), 200) as TPublicProjectList;
    expect(list.projects.map((p) => p.key)).toEqual(["PUB", "OPS"]);
    expect(list.org.slug).toBe(w.slug);

    const board = expectStatus(await anonymous(`/${w.slug}/projects/OPS`), 200) as TPublicBoard;
    expect(board.project).toMatchObject({ key: "OPS", name: "Operations" });
    expect(board.publicFields).toEqual(["priority"]);
    expect(board.states.map((s) => s.category)).toEqual(["backlog", "unstarted", "started", "completed", "canceled"]);

    const opsPage = expectStatus(await anonymous(`/${w.slug}/projects/ops/tasks`), 200) as TPublicTaskPage;
    expect(titles(opsPage)).toEqual(["opsShown"]);
    const card = opsPage.tasks[0];
    expect(card).toMatchObject({ key: w.tasks.opsShown?.key, priority: "high", projectId: w.ops.id });
    expect(card?.stateId).toBe(w.tasks.opsShown?.stateId);
    expect(board.states.map((s) => s.id)).toContain(card?.stateId ?? "");
    expect(card?.description).toBeUndefined();

    const one = expectStatus(await anonymous(`/${w.slug}/projects/OPS/tasks/${w.tasks.opsShown?.key}`), 200);
    expect(one).toMatchObject({ title: "opsShown" });
  });

  test("a private project's board and tasks are 404, and its tasks appear on no other board", async () => {
    const w = await world();
    const secKey = w.tasks.secShown?.key ?? "";
    for (const path of [
      `/${w.slug}/projects/SEC`,
      `/${w.slug}/projects/SEC/tasks`,
      `/${w.slug}/projects/SEC/tasks/1`,
      `/${w.slug}/projects/SEC/tasks/${secKey}`,
      `/${w.slug}/projects/NOPE`,
      `/${w.slug}/tasks/${secKey}`,
      `/${w.slug}/projects/OPS/tasks/${secKey}`,
    ]) {
      expect([path, (await anonymous(path)).status]).toEqual([path, 404]);
    }
    const everything = JSON.stringify([
      (await anonymous(`/${w.slug}/projects`)).body,
      (await anonymous(`/${w.slug}/tasks`)).body,
      (await anonymous(`/${w.slug}/projects/OPS/tasks`)).body,
      (await anonymous(`/${w.slug}/projects/PUB/tasks`)).body,
    ]);
    expect(everything).not.toContain("secShown");
    expect(everything).not.toContain("pubHidden");
  });

  test("the old address is the first public project's board; the org's switch closes every board", async () => {
    const w = await world();
    const old = expectStatus(await anonymous(`/${w.slug}`), 200) as TPublicBoard;
    expect(old.project.key).toBe("PUB");
    expect(old.publicFields).toEqual(["description", "labels"]);
    expect(titles(expectStatus(await anonymous(`/${w.slug}/tasks`), 200))).toEqual(["pubShown"]);
    const shown = w.tasks.pubShown;
    expect(expectStatus(await anonymous(`/${w.slug}/tasks/${shown?.number}`), 200)).toMatchObject({
      title: "pubShown",
      description: "about pubShown",
    });
    expect((await anonymous(`/${w.slug}/tasks/${shown?.key}`)).status).toBe(200);

    // The first project unpublished: the old address follows the next public project.
    expectStatus(await call("PATCH", `/api/orgs/${w.orgId}/projects/PUB`, { publicBoard: false }), 200);
    expect((expectStatus(await anonymous(`/${w.slug}`), 200) as TPublicBoard).project.key).toBe("OPS");
    expect(titles(expectStatus(await anonymous(`/${w.slug}/tasks`), 200))).toEqual(["opsShown"]);

    expectStatus(await call("PATCH", `/api/orgs/${w.orgId}`, { publicBoard: false }), 200);
    for (const path of [`/${w.slug}`, `/${w.slug}/tasks`, `/${w.slug}/projects`, `/${w.slug}/projects/OPS/tasks`]) {
      expect([path, (await anonymous(path)).status]).toEqual([path, 404]);
    }
  });

  test("the public channel carries a public project's tasks and nothing of a private project's", async () => {
    const w = await world();
    // A member follows the org first: the hub learns the public projects only when a visitor comes.
    const member = new TestSocket(backend.url, { cookie: owner.cookie });
    sockets.push(member);
    await member.opened();
    expect((await member.subscribe(w.orgId, "tasks")).type).toBe("SUBSCRIBED");
    const visitor = new TestSocket(backend.url);
    sockets.push(visitor);
    await visitor.opened();
    expect((await visitor.subscribe(w.orgId, "public")).type).toBe("SUBSCRIBED");
    const org = `/api/orgs/${w.orgId}`;
    const secret = { title: "secret live", visibility: "public", projectId: w.sec.id, priority: "urgent" };
    const secTask = expectStatus(await call("POST", `${org}/tasks`, secret), 201) as TTask;
    expectStatus(await call("PATCH", `${org}/tasks/${secTask.id}`, { title: "secret edit", version: 1 }), 200);
    expectStatus(await call("DELETE", `${org}/tasks/${secTask.id}`), 200);
    const opsJson = { title: "ops live", visibility: "public", projectId: w.ops.id, priority: "urgent" };
    const opsTask = expectStatus(await call("POST", `${org}/tasks`, opsJson), 201) as TTask;
    // The OPS task is the barrier: the SEC events came before it.
    const seen = await visitor.next((m) => m.type === "CREATE_TASK");
    await visitor.settled();
    expect(seen.data.task).toMatchObject({ id: opsTask.id, priority: "urgent", projectId: w.ops.id });
    expect(visitor.events().map((e) => e.type)).toEqual(["CREATE_TASK"]);
    expect(JSON.stringify(visitor.messages)).not.toContain(secTask.id);

    // Unpublishing OPS: its later changes stop at once.
    expectStatus(await call("PATCH", `${org}/projects/OPS`, { publicBoard: false }), 200);
    expectStatus(await call("PATCH", `${org}/tasks/${opsTask.id}`, { title: "ops hidden", version: 1 }), 200);
    const pubJson = { title: "pub live", visibility: "public" };
    expectStatus(await call("POST", `${org}/tasks`, pubJson), 201);
    await visitor.next((m) => m.type === "CREATE_TASK" && m.data.task.title === "pub live");
    await visitor.settled();
    expect(JSON.stringify(visitor.messages)).not.toContain("ops hidden");
  });
});
