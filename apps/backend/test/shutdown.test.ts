import { afterAll, expect, test } from "bun:test";
import type { Subprocess } from "bun";
import { WEB_ORIGIN } from "./harness.ts";
import { signUpWithOrg, spawnBackend } from "./spawn.ts";
import { TestSocket } from "./ws-client.ts";

const procs: Subprocess[] = [];
afterAll(() => {
  for (const proc of procs) proc.kill("SIGKILL");
});

test("SIGTERM with open sockets: clients get 1001 and the in-flight request still finishes", async () => {
  const backend = await spawnBackend({
    PORT: "0",
    DATABASE_URL: process.env.DATABASE_URL,
    WEB_ORIGINS: WEB_ORIGIN,
    SEED_DEMO: "false",
    AUTH_CREDENTIAL_LIMIT: "10:1000",
    LOG_LEVEL: "debug",
    NODE_ENV: "development",
  });
  procs.push(backend.proc);
  const url = backend.url as string;
  expect(backend.url, backend.output).not.toBeNull();
  const { cookie, org, headers } = await signUpWithOrg(url, WEB_ORIGIN, "BYE");
  const socket = new TestSocket(url, { cookie });
  await socket.opened();
  await socket.subscribe(org.id, "tasks");

  const task = (await (
    await fetch(`${url}/api/orgs/${org.id}/tasks`, {
      method: "POST",
      headers,
      body: JSON.stringify({ title: "Has a file" }),
    })
  ).json()) as { id: string };

  // An upload whose body is still arriving when the signal lands: the request is in flight.
  const boundary = "tandem-shutdown-boundary";
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="late.txt"\r\nContent-Type: text/plain\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  let finish: () => void = () => {};
  const bodyDone = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(new TextEncoder().encode(`${head}first half, `));
      await bodyDone;
      controller.enqueue(new TextEncoder().encode(`second half${tail}`));
      controller.close();
    },
  });
  const inFlight = fetch(`${url}/api/orgs/${org.id}/tasks/${task.id}/attachments`, {
    method: "POST",
    headers: { cookie, origin: WEB_ORIGIN, "content-type": `multipart/form-data; boundary=${boundary}` },
    body,
    duplex: "half",
  } as RequestInit);
  // The barrier: the server has started handling the upload (its body is still arriving).
  await backend.waitForOutput(/"method":"POST","path":"[^"]*\/attachments","msg":"request started"/);

  backend.proc.kill("SIGTERM");
  expect((await socket.closed).code).toBe(1001);
  finish();
  const response = await inFlight;
  expect(response.status).toBe(201);
  expect((await response.json()) as { filename: string; size: number }).toMatchObject({
    filename: "late.txt",
    size: 23,
  });
  expect(await backend.proc.exited).toBe(0);
}, 60_000);
