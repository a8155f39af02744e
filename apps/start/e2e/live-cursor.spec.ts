import { expect, type Request, test, type WebSocketRoute } from "@playwright/test";
import { card, createOrg, createUser, dragTo, signIn } from "./helpers.ts";

type Frame = {
  type: string;
  channel?: string;
  afterSeq?: number;
  data?: { lastSeq?: number };
  meta?: { seq?: number };
};

// The hub does not echo a tab's own change to its socket; the REST response's X-Event-Seq
// moves the tab's cursor instead, so a reconnect resumes from there: no gap, no replay of its
// own change, no refetch of the board.
test("a tab's own change moves its live cursor: a reconnect resumes after it and refetches nothing", async ({
  browser,
}) => {
  const owner = await createUser("Cursor");
  const org = await createOrg(owner, "CUR");
  await owner.api.post(`/api/orgs/${org.id}/tasks`, { data: { title: "Move me" } });
  const { page } = await signIn(browser, owner);

  const sent: Frame[] = [];
  const received: Frame[] = [];
  let socket: WebSocketRoute | null = null;
  await page.routeWebSocket(/\/ws$/, (ws) => {
    socket = ws;
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      sent.push(JSON.parse(String(message)));
      server.send(message);
    });
    server.onMessage((message) => {
      received.push(JSON.parse(String(message)));
      ws.send(message);
    });
  });

  await page.goto(`/o/${org.slug}`);
  const indicator = page.getByTestId("connection-status");
  await expect(indicator).toHaveAttribute("data-status", "connected");
  await expect(card(page, "Move me")).toBeVisible();
  await expect.poll(() => received.find((m) => m.type === "SUBSCRIBED" && m.data)?.data?.lastSeq).toBeDefined();
  const start = received.find((m) => m.type === "SUBSCRIBED")?.data?.lastSeq ?? -1;

  const moved = page.waitForResponse((r) => r.url().endsWith("/move") && r.request().method() === "POST");
  await dragTo(page, "Move me", "done");
  const seq = Number((await moved).headers()["x-event-seq"]);
  expect(seq).toBe(start + 1);
  await expect(page.getByTestId("column-done").getByText("Move me")).toBeVisible();

  const boardReads: Request[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === `/api/orgs/${org.id}/tasks`) boardReads.push(request);
  });
  // Drop the socket: the tab reconnects and re-subscribes from its cursor.
  const dropped = socket as WebSocketRoute | null;
  await dropped?.close();
  await expect.poll(() => sent.filter((m) => m.type === "SUBSCRIBE" && m.channel === "tasks").length).toBe(2);
  expect(sent.filter((m) => m.type === "SUBSCRIBE" && m.channel === "tasks").at(-1)?.afterSeq).toBe(seq);
  await expect(indicator).toHaveAttribute("data-status", "connected");

  // Live again: a change made elsewhere arrives; the tab's own move never came over a socket.
  await owner.api.post(`/api/orgs/${org.id}/tasks`, { data: { title: "Made elsewhere" } });
  await expect(card(page, "Made elsewhere")).toBeVisible();
  expect(received.filter((m) => m.meta?.seq !== undefined).map((m) => m.meta?.seq)).toEqual([seq + 1]);
  expect(boardReads).toHaveLength(0);
});
