import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestBackend, type TestBackend, type TestUser } from "./harness.ts";
import { TestSocket } from "./ws-client.ts";

let backend: TestBackend;
let owner: TestUser;
const sockets: TestSocket[] = [];
function socket(options: ConstructorParameters<typeof TestSocket>[1] = {}): TestSocket {
  const s = new TestSocket(backend.url, options);
  sockets.push(s);
  return s;
}

beforeAll(async () => {
  backend = await startTestBackend();
  owner = await backend.signUp("Owner");
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await backend.stop();
});

async function orgWithMember() {
  const org = (
    await owner.call("POST", "/api/orgs", {
      name: "Live",
      slug: `live-${crypto.randomUUID().slice(0, 8)}`,
      prefix: "LV",
    })
  ).body;
  const member = await backend.signUp("Member");
  const invite = (await owner.call("POST", `/api/orgs/${org.id}/invites`, {})).body;
  await member.call("POST", `/api/invites/${invite.code}/accept`);
  return { org, member };
}

describe("hub", () => {
  test("a PATCH by one member reaches the other within 100 ms with the right seq", async () => {
    const { org, member } = await orgWithMember();
    const task = (await owner.call("POST", `/api/orgs/${org.id}/tasks`, { title: "Live one" })).body;
    const watcher = socket({ cookie: member.cookie });
    const status = await watcher.opened();
    expect(status.data).toMatchObject({ authenticated: true, wsClientId: expect.any(String) });
    const subscribed = await watcher.subscribe(org.id, "tasks");
    expect(subscribed.type).toBe("SUBSCRIBED");

    const started = performance.now();
    const patched = await owner.call("PATCH", `/api/orgs/${org.id}/tasks/${task.id}`, {
      title: "Edited live",
      version: 1,
    });
    expect(patched.status).toBe(200);
    const update = await watcher.next((m) => m.type === "UPDATE_TASK", 1000);
    const elapsed = performance.now() - started;
    expect(update.data.task.title).toBe("Edited live");
    const events = (await owner.call("GET", `/api/orgs/${org.id}/events?after=0`)).body.events;
    expect(update.meta).toMatchObject({ orgId: org.id, channel: "tasks", seq: events.at(-1).seq });
    expect(elapsed).toBeLessThan(100);
  });
});
