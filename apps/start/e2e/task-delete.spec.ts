import { expect, test } from "@playwright/test";
import { createTask, twoEditors } from "./dialog-helpers.ts";
import { card } from "./helpers.ts";

test("delete asks first; once confirmed the card is gone at once for the deleter and another tab, and its link says not found", async ({
  browser,
}) => {
  const { alice, org, a, b } = await twoEditors(browser, "DEL");
  const doomed = await createTask(alice, org.id, { title: "Doomed task" });
  await createTask(alice, org.id, { title: "Survivor" });
  for (const page of [a, b]) {
    await page.goto(`/o/${org.slug}`);
    await expect(page.getByTestId("connection-status")).toHaveAttribute("data-status", "connected");
    await expect(card(page, "Doomed task")).toBeVisible();
  }

  await card(a, "Doomed task").click();
  const dialog = a.getByTestId("task-dialog");
  await dialog.getByRole("button", { name: "Delete task" }).click();
  const confirm = a.getByRole("alertdialog", { name: `Delete ${doomed.key}?` });
  await expect(confirm).toContainText("Doomed task");
  // Cancel leaves everything as it was.
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(dialog).toBeVisible();

  await dialog.getByRole("button", { name: "Delete task" }).click();
  const deleted = a.waitForResponse((r) => r.request().method() === "DELETE" && r.url().includes(doomed.id));
  await confirm.getByRole("button", { name: "Delete" }).click();
  expect((await deleted).status()).toBe(200);
  await expect(a.getByTestId("task-dialog")).toHaveCount(0);
  await expect(card(a, "Doomed task")).toHaveCount(0);
  await expect(card(b, "Doomed task")).toHaveCount(0);
  // Still gone after the other tab has heard of it (the DELETE response must not bring it back).
  await expect(card(a, "Survivor")).toBeVisible();
  await expect(card(a, "Doomed task")).toHaveCount(0);
  expect((await alice.api.get(`/api/orgs/${org.id}/tasks/${doomed.id}`)).status()).toBe(404);

  // The deep link, in the live tab and after a reload.
  await b.goto(`/o/${org.slug}?task=${doomed.key}`);
  const notFound = b.getByRole("dialog", { name: "Task not found" });
  await expect(notFound).toContainText(doomed.key);
  await notFound.getByRole("button", { name: "Back to the board" }).click();
  await expect(notFound).toHaveCount(0);
  await expect(b).toHaveURL((url) => !url.searchParams.has("task"));
  await a.goto(`/o/${org.slug}?task=${doomed.key}`);
  await expect(a.getByRole("dialog", { name: "Task not found" })).toBeVisible();
});
