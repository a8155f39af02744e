import { expect, test } from "@playwright/test";
import { createOrg, createUser, signIn } from "./helpers.ts";

const MiB = 1024 * 1024;

test("a 6 MiB attachment uploads; an 11 MiB one shows the API's reason, not 'Failed to fetch'", async ({ browser }) => {
  const owner = await createUser("Uma Uploader");
  const org = await createOrg(owner, "UPL");
  const task = await (await owner.api.post(`/api/orgs/${org.id}/tasks`, { data: { title: "Has files" } })).json();
  const { page } = await signIn(browser, owner);
  await page.goto(`/o/${org.slug}?task=${task.key}`);
  const dialog = page.getByTestId("task-dialog");
  await expect(dialog).toBeVisible();

  const file = (name: string, size: number) => ({ name, mimeType: "application/pdf", buffer: Buffer.alloc(size, 7) });
  await dialog.getByLabel("Attach a file").setInputFiles(file("six.pdf", 6 * MiB));
  await expect(dialog.getByRole("link", { name: "six.pdf" })).toBeVisible({ timeout: 15_000 });
  await expect(dialog.getByText(`${6 * 1024} KB`)).toBeVisible();

  await dialog.getByLabel("Attach a file").setInputFiles(file("eleven.pdf", 11 * MiB));
  await expect(page.getByText(`Files may be at most ${10 * MiB} bytes`)).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText("Failed to fetch")).toHaveCount(0);
  await expect(dialog.getByRole("link", { name: "eleven.pdf" })).toHaveCount(0);
});
