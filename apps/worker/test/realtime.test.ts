import { afterAll, beforeAll, expect, test } from "bun:test";
import { createUserWithSession } from "@tandem/backend/compose";
import { addTestMember } from "@tandem/domain/testing";
import { type GithubBackend, ORIGIN, startGithubBackend } from "./github-backend.ts";
import { deliver, example, linkedOrg, startTestWorker, type WorkerHarness } from "./harness.ts";

let h: WorkerHarness;
let api: GithubBackend;

beforeAll(async () => {
  h = await startTestWorker();
  api = await startGithubBackend({ name: "worker-realtime" });
});
afterAll(async () => {
  await h.stop();
  await api.stop();
});

test("a subscribed WebSocket client receives the task created from a webhook", async () => {
  const { org, repoName } = await linkedOrg(h.handle, "WSK");
  const email = `watcher-${crypto.randomUUID()}@example.test`;
  const { userId, cookie } = await createUserWithSession(api.auth, {
    email,
    password: "password-123",
    name: "Watcher",
  });
  await addTestMember(h.handle.db, { orgId: org.id, userId, permissions: [] });

  const ws = new WebSocket(`${api.url.replace("http", "ws")}/ws`, {
    headers: { cookie, origin: ORIGIN },
  });
  const messages: { type: string; data: any }[] = [];
  ws.onmessage = (event) => messages.push(JSON.parse(String(event.data)));
  await new Promise((resolve) => (ws.onopen = resolve));
  ws.send(JSON.stringify({ type: "SUBSCRIBE", orgId: org.id, channel: "tasks" }));
  const waitFor = async (type: string) => {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const found = messages.find((m) => m.type === type);
      if (found) return found;
      await Bun.sleep(20);
    }
    throw new Error(`no ${type}; got ${messages.map((m) => m.type)}`);
  };
  await waitFor("SUBSCRIBED");

  const payload = example("issues", "opened");
  payload.repository.full_name = repoName;
  Object.assign(payload.issue, { number: 4242, title: "From GitHub, live" });
  expect((await deliver(h.worker, "issues", payload)).status).toBe(202);
  const created = await waitFor("CREATE_TASK");
  expect(created.data.task).toMatchObject({ title: "From GitHub, live", orgId: org.id });
  ws.close();
});
