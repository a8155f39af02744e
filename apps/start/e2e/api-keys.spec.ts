import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { API_URL, createOrg, createUser, signIn, WEB_URL } from "./helpers.ts";

test("an API key is created with its permissions, shown once with a copy button, listed with last use, and revoked", async ({
  browser,
  request,
}) => {
  const admin = await createUser("Kai Admin");
  const org = await createOrg(admin, "KEY");
  const { context, page } = await signIn(browser, admin);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: WEB_URL });
  await page.goto(`/o/${org.slug}/settings`);

  const section = page.getByRole("region", { name: "API keys" });
  await section.getByLabel("New API key name").fill("Nightly export");
  await section.getByLabel("API key tasks.create").check();
  await section.getByRole("button", { name: "Create API key" }).click();
  const shown = section.getByTestId("new-api-key");
  await expect(shown).toHaveText(/^tdm_/);
  const key = ((await shown.textContent()) ?? "").trim();
  await section.getByRole("button", { name: "Copy key" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);

  // The section, key panel included, passes axe's serious and critical rules.
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  // Shown once: gone after "Done" and after a reload; the list never has it.
  await section.getByRole("button", { name: "Done" }).click();
  await expect(shown).toHaveCount(0);
  const row = section.getByTestId("api-key").filter({ hasText: "Nightly export" });
  await expect(row.getByTestId("last-used")).toHaveText("never");

  // The key works from a server-side client; the list then shows when it was last used.
  const call = await request.post(`${API_URL}/api/orgs/${org.id}/tasks`, {
    headers: { authorization: `Bearer ${key}` },
    data: { title: "Made with a key" },
  });
  expect(call.status()).toBe(201);
  await page.reload();
  await expect(row.getByTestId("last-used")).not.toHaveText("never");
  await expect(page.getByText(key)).toHaveCount(0);

  await row.getByRole("button", { name: "Revoke Nightly export" }).click();
  await expect(row).toContainText("Revoked");
  const after = await request.get(`${API_URL}/api/orgs/${org.id}/tasks`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(after.status()).toBe(401);
  await context.close();
});
