import { expect, test } from "@playwright/test";
import { card, createOrg, createUser, screenshot, signIn, type TestUser } from "./helpers.ts";

async function makeTask(owner: TestUser, orgId: string, data: Record<string, unknown>) {
  const made = await owner.api.post(`/api/orgs/${orgId}/tasks`, { data });
  expect(made.status()).toBe(201);
  return (await made.json()) as { id: string };
}

test("project settings: publish a project's board and open it, archive it out of the switcher, delete one with its tasks after typing its key", async ({
  browser,
}) => {
  const owner = await createUser("Settings Owner");
  const org = await createOrg(owner, "PST");
  // Public boards allowed for the org (this publishes its first project, PST); WEB is not public yet.
  await owner.api.patch(`/api/orgs/${org.id}`, { data: { publicBoard: true } });
  for (const [name, key] of [
    ["Website", "WEB"],
    ["Old stuff", "OLD"],
  ]) {
    expect((await owner.api.post(`/api/orgs/${org.id}/projects`, { data: { name, key } })).status()).toBe(201);
  }
  await makeTask(owner, org.id, { title: "Landing page", projectId: "WEB", visibility: "public" });
  const doomed = [
    await makeTask(owner, org.id, { title: "Old task one", projectId: "OLD" }),
    await makeTask(owner, org.id, { title: "Old task two", projectId: "OLD" }),
  ];
  const kept = await makeTask(owner, org.id, { title: "Kept task", projectId: "WEB" });

  const { context, page } = await signIn(browser, owner);
  await page.goto(`/o/${org.slug}/settings`);
  const projectSelect = page.getByLabel("Project", { exact: true });
  await projectSelect.selectOption({ label: "Website (WEB)" });

  // Publish the board: its link appears and opens the project's public page.
  const publicSettings = page.getByTestId("project-public-settings");
  const publish = publicSettings.getByLabel("Publish Website's board");
  await expect(publish).not.toBeChecked();
  await publish.click();
  await expect(publish).toBeChecked();
  const link = publicSettings.getByRole("link", { name: `/p/${org.slug}/WEB` });
  await expect(link).toBeVisible();
  // A field its cards do not show yet: on, and saved.
  const estimate = publicSettings.getByLabel("estimate");
  await expect(estimate).not.toBeChecked();
  await estimate.click();
  await expect(estimate).toBeChecked();
  await expect
    .poll(async () => (await (await owner.api.get(`/api/orgs/${org.id}/projects/WEB`)).json()).publicFields)
    .toContain("estimate");
  await screenshot(page, "project-settings");
  const [popup] = await Promise.all([context.waitForEvent("page"), link.click()]);
  await expect(popup).toHaveURL(new RegExp(`/p/${org.slug}/WEB$`));
  await expect(card(popup, "Landing page")).toBeVisible();
  await expect(card(popup, "Kept task")).toHaveCount(0);
  await popup.close();

  // Archive: the project leaves the board's switcher.
  await page.getByRole("button", { name: "Archive project" }).click();
  await expect(page.getByTestId("project-archived")).toBeVisible();
  await expect(page.getByRole("button", { name: "Unarchive project" })).toBeVisible();
  await page.goto(`/o/${org.slug}/PST`);
  const switcher = page.getByTestId("project-switcher");
  await expect(switcher.locator("option", { hasText: "Old stuff (OLD)" })).toHaveCount(1);
  await expect(switcher.locator("option", { hasText: "(WEB)" })).toHaveCount(0);

  // Delete: the dialog counts the tasks going with it and wants the key typed first.
  await page.goto(`/o/${org.slug}/settings`);
  await projectSelect.selectOption({ label: "Old stuff (OLD)" });
  await page.getByRole("button", { name: "Delete project…" }).click();
  const dialog = page.getByTestId("delete-project-dialog");
  await expect(dialog.getByTestId("delete-project-count")).toHaveText(/Its 2 tasks will be deleted/);
  const confirm = dialog.getByRole("button", { name: "Delete project and its tasks" });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel("Type OLD to confirm").fill("OL");
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel("Type OLD to confirm").fill("OLD");
  await confirm.click();
  await expect(dialog).toHaveCount(0);
  await expect(projectSelect.locator("option", { hasText: "(OLD)" })).toHaveCount(0);

  // Through the API: the project and its tasks are gone, the other project's tasks stay.
  expect((await owner.api.get(`/api/orgs/${org.id}/projects/OLD`)).status()).toBe(404);
  for (const task of doomed) {
    expect((await owner.api.get(`/api/orgs/${org.id}/tasks/${task.id}`)).status()).toBe(404);
  }
  expect((await owner.api.get(`/api/orgs/${org.id}/tasks/${kept.id}`)).status()).toBe(200);
  await context.close();
});
