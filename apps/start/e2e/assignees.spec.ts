import { expect, type Locator, test } from "@playwright/test";
import { createTask, openTask, readTask, twoEditors } from "./dialog-helpers.ts";
import { addMember, card, createUser } from "./helpers.ts";

const avatar = (scope: Locator, name: string) => scope.locator(`[data-slot="avatar"][aria-label="${name}"]`);

test("several assignees are picked from a searchable popover and shown as avatars on cards and in the list", async ({
  browser,
}) => {
  const { alice, bob, org, a, b } = await twoEditors(browser, "ASG");
  const carol = await createUser("Carol Chen");
  await addMember(alice, org.id, carol);
  const task = await createTask(alice, org.id, { title: "Shared work" });
  await b.goto(`/o/${org.slug}`);
  await expect(b.getByTestId("connection-status")).toHaveAttribute("data-status", "connected");
  const dialog = await openTask(a, org.slug, task.key);

  await dialog.getByRole("button", { name: "Assignees Unassigned" }).click();
  const picker = a.getByRole("listbox", { name: "Members" });
  await a.getByPlaceholder("Assign to…").fill("car");
  await expect(picker.getByRole("option")).toHaveCount(1);
  await picker.getByRole("option", { name: "Carol Chen" }).click();
  await a.getByPlaceholder("Assign to…").fill("");
  await picker.getByRole("option", { name: "Bob Brown" }).click();
  await expect(picker.getByRole("option", { name: "Bob Brown" })).toHaveAttribute("aria-checked", "true");
  await expect(picker.getByRole("option", { name: "Carol Chen" })).toHaveAttribute("aria-checked", "true");
  await expect(picker.getByRole("option", { name: "Alice Adams" })).toHaveAttribute("aria-checked", "false");
  await expect
    .poll(async () => (await readTask(alice, org.id, task.id)).assigneeIds.sort())
    .toEqual([bob.id, carol.id].sort());
  await a.keyboard.press("Escape");
  await expect(picker).toHaveCount(0);
  await expect(dialog.getByRole("button", { name: "Assignees Bob Brown, Carol Chen" })).toBeVisible();
  await a.keyboard.press("Escape");

  // Avatars with initials on the card, here and live in Bob's tab.
  for (const page of [a, b]) {
    const shared = card(page, "Shared work");
    await expect(avatar(shared, "Bob Brown").locator("[data-initials]")).toHaveAttribute("data-initials", "BB");
    await expect(avatar(shared, "Carol Chen").locator("[data-initials]")).toHaveAttribute("data-initials", "CC");
  }

  // Unassign Bob with the keyboard.
  await card(a, "Shared work").click();
  await dialog.getByRole("button", { name: "Assignees Bob Brown, Carol Chen" }).click();
  await a.getByPlaceholder("Assign to…").fill("bob");
  await a.keyboard.press("Enter");
  await expect(picker.getByRole("option", { name: "Bob Brown" })).toHaveAttribute("aria-checked", "false");
  await a.keyboard.press("Escape");
  await a.keyboard.press("Escape");
  await expect(avatar(card(b, "Shared work"), "Bob Brown")).toHaveCount(0);
  await expect(avatar(card(b, "Shared work"), "Carol Chen")).toBeVisible();
  expect((await readTask(alice, org.id, task.id)).assigneeIds).toEqual([carol.id]);

  // The list view shows them too.
  await b.goto(`/o/${org.slug}?view=list`);
  const row = b.getByTestId("list-view").getByRole("row").filter({ hasText: "Shared work" });
  await expect(avatar(row, "Carol Chen")).toBeVisible();
  await expect(b.getByTestId("list-view").getByRole("columnheader", { name: "Assignees" })).toBeVisible();
});
