import { afterAll, beforeAll, expect, test } from "bun:test";
import { composeBackend, createUserWithSession } from "@tandem/backend/compose";
import { connect } from "@tandem/database";
import { addTestMember } from "@tandem/domain/testing";
import { createLogger } from "@tandem/util/server";
import { deliver, example, linkedOrg, startTestWorker, type WorkerHarness } from "./harness.ts";

const ORIGIN = "http://localhost:3000";
let h: WorkerHarness;
let stopBackend: () => Promise<void>;
let backendUrl: string;
let auth: ReturnType<typeof composeBackend>["auth"];

beforeAll(async () => {
  h = await startTestWorker();
  const url = process.env.DATABASE_URL ?? "";
  const handle = connect(url, { applicationName: "worker-realtime-test" });
  const backend = composeBackend({
    handle,
    databaseUrl: url,
    secret: "worker-test-secret-worker-test-secret-01",
    baseURL: "http://localhost:5468",
    webOrigins: [ORIGIN],
    logger: createLogger({ service: "backend" }, "error"),
  });
  auth = backend.auth;
  const running = await backend.serve({ port: 0, hostname: "127.0.0.1" });
  backendUrl = running.url;
  stopBackend = async () => {
    await running.stop();
    await handle.close();
  };
});
afterAll(async () => {
  await h.stop();
  await stopBackend();
});

test("a subscribed WebSocket client receives the task created from a webhook", async () => {
  const { org, repoName } = await linkedOrg(h.handle, "WSK");
  const email = `watcher-${crypto.randomUUID()}@example.test`;
  const { userId, cookie } = await createUserWithSession(auth, { email, password: "password-123", name: "Watcher" });
  await addTestMember(h.handle.db, { orgId: org.id, userId, permissions: [] });

  const ws = new WebSocket(`${backendUrl.replace("http", "ws")}/ws`, {
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
