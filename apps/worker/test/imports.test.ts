import { afterAll, beforeAll, expect, test } from "bun:test";
import { type TTandemExport, ZTandemExport } from "@tandem/contracts";
import { type GithubBackend, startGithubBackend } from "./github-backend.ts";
import { startTestWorker, type WorkerHarness } from "./harness.ts";
import { type Admin, transferAdmin } from "./transfer-client.ts";

let api: GithubBackend;
let worker: WorkerHarness;
let admin: Admin;

beforeAll(async () => {
  [api, worker] = await Promise.all([startGithubBackend({ name: "imports" }), startTestWorker()]);
  admin = await transferAdmin(api, "Restorer");
});
afterAll(async () => {
  await Promise.all([worker?.stop(), api?.stop()]);
});

/** An export with the exporting org's ids replaced by what they name (numbers, names, e-mails). */
function withoutIds(doc: TTandemExport) {
  const keyOf = new Map(doc.tasks.map((task) => [task.id, task.key]));
  const labelOf = new Map(doc.labels.map((label) => [label.id, label.name]));
  const categoryOf = new Map(doc.categories.map((category) => [category.id, category.name]));
  const emailOf = new Map(doc.members.map((member) => [member.id, member.email]));
  const projectKey = new Map((doc.projects ?? []).map((project) => [project.id, project.key]));
  const stateName = new Map((doc.projects ?? []).flatMap((project) => project.states.map((s) => [s.id, s.name])));
  const person = (id: string | null) => (id ? (emailOf.get(id) ?? `unknown ${id}`) : null);
  const byTask = <T extends { taskId: string | undefined; createdAt: string }>(a: T, b: T) =>
    (a.taskId ?? "").localeCompare(b.taskId ?? "") || a.createdAt.localeCompare(b.createdAt);
  return {
    labels: doc.labels.map(({ id: _, ...label }) => label).sort((a, b) => a.name.localeCompare(b.name)),
    categories: doc.categories.map(({ id: _, ...category }) => category),
    projects: (doc.projects ?? []).map(({ id: _, states, ...project }) => ({
      ...project,
      states: states.map(({ id: _id, ...state }) => state),
    })),
    relations: (doc.relations ?? [])
      .map(({ id: _, fromTaskId, toTaskId, ...relation }) => ({
        ...relation,
        from: keyOf.get(fromTaskId),
        to: keyOf.get(toTaskId),
      }))
      .sort((a, b) => `${a.type}${a.from}${a.to}`.localeCompare(`${b.type}${b.from}${b.to}`)),
    tasks: doc.tasks
      .map(({ id: _, ...task }) => ({
        ...task,
        projectId: task.projectId ? projectKey.get(task.projectId) : null,
        stateId: task.stateId ? stateName.get(task.stateId) : null,
        categoryId: task.categoryId ? categoryOf.get(task.categoryId) : null,
        parentId: task.parentId ? keyOf.get(task.parentId) : null,
        labelIds: task.labelIds.map((id) => labelOf.get(id)).sort(),
        assigneeIds: task.assigneeIds.map(person),
        createdBy: person(task.createdBy),
      }))
      // Tasks are exported by project id, then number; ids differ between the two orgs.
      .sort((a, b) => a.key.localeCompare(b.key)),
    comments: doc.comments
      .map(({ id: _, ...comment }) => ({
        ...comment,
        taskId: keyOf.get(comment.taskId),
        authorId: person(comment.authorId),
      }))
      .sort(byTask),
    activity: doc.activity
      .map(({ id: _, ...entry }) => ({
        ...entry,
        taskId: keyOf.get(entry.taskId),
        actorId: person(entry.actorId),
        changes: entry.changes.map((change) => change.field),
      }))
      .sort((a, b) => byTask(a, b) || a.action.localeCompare(b.action)),
  };
}

async function exportJson(orgPath: string): Promise<TTandemExport> {
  const response = await admin.call("GET", `${orgPath}/export?format=json`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toStartWith("application/json");
  expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.json"$/);
  return ZTandemExport.parse(JSON.parse(response.text));
}

test("export → import into an empty org → a second export equals the first (ids aside); numbers and keys kept", async () => {
  const source = await admin.newOrg("Source", "RST");
  const at = source.path;
  const bug = await admin.json("POST", `${at}/labels`, { name: "bug", color: "#ff0000" }, 201);
  await admin.json("POST", `${at}/labels`, { name: "ui" }, 201);
  const backend = await admin.json("POST", `${at}/categories`, { name: "Backend" }, 201);
  const first = await admin.json(
    "POST",
    `${at}/tasks`,
    { title: "Parent", labelIds: [bug.id], categoryId: backend.id, assigneeIds: [admin.userId], description: "# Hi" },
    201,
  );
  const second = await admin.json(
    "POST",
    `${at}/tasks`,
    { title: "Public one", priority: "high", visibility: "public", dueDate: "2026-05-01", estimate: 3 },
    201,
  );
  await admin.json("POST", `${at}/tasks`, { title: "Child", parentId: first.id, status: "backlog" }, 201);
  const gone = await admin.json("POST", `${at}/tasks`, { title: "Deleted" }, 201);
  await admin.json("DELETE", `${at}/tasks/${gone.id}`);
  await admin.json("POST", `${at}/tasks`, { title: "After the gap" }, 201);
  await admin.json("PATCH", `${at}/tasks/${second.id}`, { version: second.version, title: "Public one, renamed" });
  await admin.json("POST", `${at}/tasks/${first.id}/move`, { status: "done", afterId: null, beforeId: null });
  // A second project with its own workflow (a renamed, an added and a removed state, reordered),
  // a task in it, and relations within and across the projects.
  const ops = await admin.json("POST", `${at}/projects`, { key: "OPS", name: "Operations", color: "#0ea5e9" }, 201);
  const opsState = (name: string) => ops.states.find((state: { name: string }) => state.name === name);
  await admin.json("PATCH", `${at}/projects/OPS/states/${opsState("Todo").id}`, { name: "Ready", color: "#123456" });
  const review = await admin.json(
    "POST",
    `${at}/projects/OPS/states`,
    { name: "Review", category: "started", position: 1 },
    201,
  );
  await admin.json("DELETE", `${at}/projects/OPS/states/${opsState("Backlog").id}`);
  const incident = await admin.json(
    "POST",
    `${at}/tasks`,
    { title: "Incident", projectId: "OPS", stateId: review.id, dueDate: "2026-06-01" },
    201,
  );
  await admin.json("POST", `${at}/tasks/${incident.id}/relations`, { type: "blocks", taskId: first.id }, 201);
  await admin.json("POST", `${at}/tasks/${second.id}/relations`, { type: "relates", taskId: first.id }, 201);
  const comment = await admin.json("POST", `${at}/tasks/${first.id}/comments`, { body: "First **comment**" }, 201);
  await admin.json("PATCH", `${at}/tasks/${first.id}/comments/${comment.id}`, { body: "First comment, edited" });
  await admin.json("POST", `${at}/tasks/${first.id}/comments`, { body: "Second" }, 201);

  const before = await exportJson(at);
  expect(before.tasks.map((task) => task.key).sort()).toEqual(["OPS-1", "RST-1", "RST-2", "RST-3", "RST-5"]);
  expect(before.comments).toHaveLength(2);
  expect(before.relations).toHaveLength(2);
  expect(before.projects?.map((project) => project.states.map((state) => state.name))).toEqual([
    ["Backlog", "Todo", "In progress", "Done", "Canceled"],
    ["Review", "Ready", "In progress", "Done", "Canceled"],
  ]);

  const target = await admin.newOrg("Target", "RST");
  const started = await admin.upload(target.path, { file: JSON.stringify(before), format: "tandem" });
  expect(started.status).toBe(202);
  expect(started.body).toMatchObject({ status: "queued", total: 5, done: 0, format: "tandem" });
  const done = await admin.finished(target.path, started.body.id);
  expect(done).toMatchObject({ status: "completed", total: 5, done: 5, error: null });

  const after = await exportJson(target.path);
  expect(withoutIds(after)).toEqual(withoutIds(before));
  expect(after.tasks.map((task) => task.key).sort()).toEqual(["OPS-1", "RST-1", "RST-2", "RST-3", "RST-5"]);
  // The relations read from both sides in the restored org.
  const incidentThere = await admin.json("GET", `${target.path}/tasks/OPS-1/relations`);
  expect(incidentThere.map((r: { type: string; relatedTaskKey: string }) => [r.type, r.relatedTaskKey])).toEqual([
    ["blocks", "RST-1"],
  ]);
  // Keys resolve in the restored org, and new tasks continue after the highest number.
  const restored = await admin.json("GET", `${target.path}/tasks/RST-5`);
  expect(restored.title).toBe("After the gap");
  const next = await admin.json("POST", `${target.path}/tasks`, { title: "New" }, 201);
  expect(next.key).toBe("RST-6");
  // Its admins followed it on the event log: queued, progress, completed, and one event per task.
  const log = await admin.json("GET", `${target.path}/events?after=0`);
  const types = log.events.map((event: { type: string }) => event.type);
  expect(types.filter((type: string) => type === "CREATE_TASK")).toHaveLength(6);
  expect(types.filter((type: string) => type === "CREATE_RELATION")).toHaveLength(2);
  expect(types).toContain("CREATE_PROJECT");
  expect(log.events.filter((event: any) => event.type === "UPDATE_IMPORT").at(-1).payload.import.status).toBe(
    "completed",
  );
});

test("a Tandem export into an org that has tasks: a project key it lacks is added, one it has is reused, numbers are fresh, relations kept", async () => {
  const source = await admin.newOrg("Mergesource", "MRG");
  await admin.json("POST", `${source.path}/projects`, { key: "NEW", name: "Brand new" }, 201);
  const kept = await admin.json("POST", `${source.path}/tasks`, { title: "Into the existing project" }, 201);
  const added = await admin.json(
    "POST",
    `${source.path}/tasks`,
    { title: "Into an added project", projectId: "NEW" },
    201,
  );
  await admin.json("POST", `${source.path}/tasks/${added.id}/relations`, { type: "blocks", taskId: kept.id }, 201);
  const file = JSON.stringify(await exportJson(source.path));

  const target = await admin.newOrg("Mergetarget", "MRG");
  await admin.json("POST", `${target.path}/tasks`, { title: "Already here" }, 201);
  const started = await admin.upload(target.path, { file, format: "tandem" });
  expect(await admin.finished(target.path, started.body.id)).toMatchObject({ status: "completed", done: 2 });
  const projects = await admin.json("GET", `${target.path}/projects`);
  expect(projects.map((project: { key: string; name: string }) => [project.key, project.name])).toEqual([
    ["MRG", "Mergetarget"],
    ["NEW", "Brand new"],
  ]);
  const tasks = (await admin.json("GET", `${target.path}/tasks`)).tasks as { key: string; title: string }[];
  expect(tasks.map((task) => [task.key, task.title]).sort()).toEqual([
    ["MRG-1", "Already here"],
    ["MRG-2", "Into the existing project"],
    ["NEW-1", "Into an added project"],
  ]);
  const relations = await admin.json("GET", `${target.path}/tasks/MRG-2/relations`);
  expect(relations.map((r: { type: string; relatedTaskKey: string }) => [r.type, r.relatedTaskKey])).toEqual([
    ["blocked_by", "NEW-1"],
  ]);
  // Run again (a second upload of the same file): new copies, never a clash of keys.
  const again = await admin.upload(target.path, { file, format: "tandem" });
  expect(await admin.finished(target.path, again.body.id)).toMatchObject({ status: "completed", done: 2 });
  const keys = (await admin.json("GET", `${target.path}/tasks`)).tasks.map((task: { key: string }) => task.key);
  expect(keys.sort()).toEqual(["MRG-1", "MRG-2", "MRG-3", "NEW-1", "NEW-2"]);
});

test("refused with a reason: unknown format, missing or wrong mapping, unreadable files, other orgs' imports", async () => {
  const org = await admin.newOrg("Refuse", "REF");
  const cases = [
    [{ file: "x", format: "xml" }, "format"],
    [{ file: "Title\nA\n", format: "csv" }, "file"],
    [{ file: "Title\nA\n", format: "csv", mapping: { title: "Name" } }, "file"],
    [{ file: "not json", format: "tandem" }, "file"],
    [{ file: "{}", format: "trello" }, "file"],
  ] as const;
  for (const [fields, field] of cases) {
    const response = await admin.upload(org.path, fields);
    expect([response.status, response.body.error?.code, response.body.error?.field]).toEqual([
      400,
      "BAD_REQUEST",
      field,
    ]);
  }
  const bad = await admin.upload(org.path, { file: "Title\nA\n", format: "csv", mapping: "{" });
  expect(bad.status).toBe(400);
  expect((await admin.json("GET", `${org.path}/imports`)).length).toBe(0);

  const started = await admin.upload(org.path, { file: "Title\nA\n", format: "csv", mapping: { title: "Title" } });
  const stranger = await transferAdmin(api, "Stranger");
  const own = await stranger.newOrg("Own", "OWN");
  expect((await stranger.call("GET", `${org.path}/imports/${started.body.id}`)).status).toBe(404);
  expect((await stranger.call("GET", `${own.path}/imports/${started.body.id}`)).status).toBe(404);
  expect((await stranger.call("GET", `${org.path}/export`)).status).toBe(404);
  // Tasks cannot be sent into another org's project, nor previewed against one.
  const theirs = await stranger.json("POST", `${own.path}/projects`, { key: "THR", name: "Theirs" }, 201);
  for (const dryRun of [false, true]) {
    const foreign = await admin.upload(org.path, {
      file: "Title\nA\n",
      format: "csv",
      mapping: { title: "Title" },
      project: theirs.id,
      dryRun,
    });
    expect([foreign.status, foreign.body.error?.code]).toEqual([404, "NOT_FOUND"]);
  }
  expect((await admin.json("GET", `${org.path}/imports`)).length).toBe(1);
});
