import { expect, test } from "@playwright/test";
import { API_URL, card, createOrg, createUser, signIn, WEB_URL } from "./helpers.ts";

test("the connection indicator follows the socket through offline and back, and live updates keep flowing", async ({
  browser,
}) => {
  const owner = await createUser("Commuter");
  const org = await createOrg(owner, "NET");
  const { context, page } = await signIn(browser, owner);
  await page.goto(`/o/${org.slug}`);
  const indicator = page.getByTestId("connection-status");
  await expect(indicator).toHaveAttribute("data-status", "connected");

  await context.setOffline(true);
  await page.waitForFunction(() => !navigator.onLine);
  await context.setOffline(false);
  await page.waitForFunction(() => navigator.onLine);
  // Back online: the indicator shows the socket's real state, not the browser's last event.
  await expect(indicator).toHaveAttribute("data-status", "connected", { timeout: 10_000 });
  await expect(indicator).toHaveText("Live");

  await owner.api.post(`/api/orgs/${org.id}/tasks`, { data: { title: "Arrives after the blip" } });
  await expect(card(page, "Arrives after the blip")).toBeVisible();
});

test("signed out in another tab: the board's socket closes 4401, does not reconnect, and the tab goes to sign-in", async ({
  browser,
}) => {
  const owner = await createUser("Leaver");
  const org = await createOrg(owner, "OUT");
  const { context, page } = await signIn(browser, owner);
  const sockets: string[] = [];
  page.on("websocket", (socket) => sockets.push(socket.url()));
  await page.goto(`/o/${org.slug}`);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-status", "connected");
  // The same browser's session, ended from outside this tab.
  const signedOut = await context.request.post(`${API_URL}/api/auth/sign-out`, { headers: { origin: WEB_URL } });
  expect(signedOut.ok()).toBe(true);
  await page.waitForURL("**/login**");
  await expect(page.getByLabel("E-mail")).toBeVisible();
  expect(sockets).toHaveLength(1);
  await context.close();
});

test("a part of the page loaded late whose chunk fails once (a connection blip) is fetched again, not a crashed page", async ({
  browser,
}) => {
  const owner = await createUser("Blip");
  const org = await createOrg(owner, "BLP");
  const { page } = await signIn(browser, owner);
  let aborted = 0;
  await page.route(/\/assets\/notification-bell-[^/]*\.js$/, (route) => {
    if (aborted > 0) return route.continue();
    aborted += 1;
    return route.abort("internetdisconnected");
  });
  await page.goto(`/o/${org.slug}`);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-status", "connected");
  await expect(page.getByRole("link", { name: /^Notifications/ })).toBeVisible();
  expect(aborted).toBe(1);
  await expect(page.getByText("Something went wrong")).toHaveCount(0);
});
