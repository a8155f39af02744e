import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ok, startTestBackend, type TestBackend, type TestUser } from "./harness.ts";
import { type Envelope, TestSocket } from "./ws-client.ts";

// Presence as batched diffs (16.12): every client's view converges on who is really there,
// and a room of N joining costs O(N) messages, not one per join to every member.
let backend: TestBackend;
let owner: TestUser;
let orgId: string;
const sockets: TestSocket[] = [];
beforeAll(async () => {
  backend = await startTestBackend();
  owner = await backend.signUp("Owner");
  const slug = `pr-${crypto.randomUUID().slice(0, 8)}`;
  orgId = (await ok(owner.api.api.orgs.$post({ json: { name: "Presence", slug, prefix: "PR" } }))).id;
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await backend.stop();
});

type Joined = { socket: TestSocket; id: string };
type Presence = { wsClientId: string };

/** Opens a socket and subscribes it to the org's tasks channel. */
async function join(): Promise<Joined> {
  const socket = new TestSocket(backend.url, { cookie: owner.cookie });
  sockets.push(socket);
  const id = (await socket.opened()).data.wsClientId as string;
  expect((await socket.subscribe(orgId, "tasks")).type).toBe("SUBSCRIBED");
  return { socket, id };
}

/** A client's view: its SUBSCRIBED list, then every PRESENCE diff after it, as the UI applies them. */
function viewOf({ socket, id }: Joined): string[] {
  const start = socket.messages.findIndex((m) => m.type === "SUBSCRIBED");
  const listed: Presence[] = socket.messages[start]?.data.present ?? [];
  const present = new Set(listed.map((p) => p.wsClientId));
  for (const message of socket.messages.slice(start + 1)) {
    if (message.type !== "PRESENCE") continue;
    for (const p of message.data.joined as Presence[]) if (p.wsClientId !== id) present.add(p.wsClientId);
    for (const p of message.data.left as Presence[]) present.delete(p.wsClientId);
  }
  return [...present].sort();
}

const presenceMessages = (clients: Joined[]) =>
  clients.reduce((sum, { socket }) => sum + socket.messages.filter((m: Envelope) => m.type === "PRESENCE").length, 0);

describe("presence diffs (16.12)", () => {
  test("clients joining and leaving concurrently converge on the true member set, in O(N) messages", async () => {
    const first = await Promise.all(Array.from({ length: 24 }, join));
    const leaving = first.slice(0, 8);
    for (const { socket } of leaving) socket.close();
    const [later] = await Promise.all([
      Promise.all(Array.from({ length: 8 }, join)),
      ...leaving.map(({ socket }) => socket.closed),
    ]);
    const clients = [...first.slice(8), ...later];
    const everyone = clients.map((c) => c.id);
    await Promise.all(
      clients.map((client) => {
        const expected = everyone.filter((id) => id !== client.id).sort();
        return client.socket.next(() => viewOf(client).join() === expected.join(), 5000);
      }),
    );
    for (const client of clients) {
      expect(viewOf(client)).toEqual(everyone.filter((id) => id !== client.id).sort());
    }
    // One message per join to every member would be N(N-1)/2 = 496 for these 32 joins alone.
    const total = first.length + later.length;
    expect(presenceMessages([...first, ...later])).toBeLessThan(total * 5);
  });
});
