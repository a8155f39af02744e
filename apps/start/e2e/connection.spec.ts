import { expect, test } from "@playwright/test";
import { card, createOrg, createUser, signIn } from "./helpers.ts";

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
