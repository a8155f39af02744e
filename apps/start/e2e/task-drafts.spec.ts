import { expect, test } from "@playwright/test";
import { createTask, holdTaskUpdates, openTask, patchTask, readTask, twoEditors } from "./dialog-helpers.ts";

test("a remote change never wipes what B is typing: other fields merge, the same field asks keep mine / take theirs", async ({
  browser,
}) => {
  const { alice, org, a, b } = await twoEditors(browser, "DRF");
  const task = await createTask(alice, org.id, { title: "Draft target", description: "Original text" });
  const bd = await openTask(b, org.slug, task.key);
  const ad = await openTask(a, org.slug, task.key);

  // Bob is in the middle of rewriting the description.
  await bd.getByRole("button", { name: "Edit description" }).click();
  const description = bd.getByRole("textbox", { name: "Description" });
  await description.fill("Bob's careful draft");

  // Alice changes the priority in her tab: Bob's dialog takes it, his draft and focus stay.
  await ad.getByLabel("Priority").selectOption("high");
  await expect(bd.getByLabel("Priority")).toHaveValue("high");
  await expect(description).toHaveValue("Bob's careful draft");
  await expect(description).toBeFocused();
  await b.keyboard.type(", continued");
  await expect(description).toHaveValue("Bob's careful draft, continued");

  // Alice rewrites the description Bob is editing: he is told, and keeps his text.
  await patchTask(alice, org.id, task.id, { description: "Alice's rewrite" });
  const descriptionConflict = bd.getByTestId("conflict-description");
  await expect(descriptionConflict).toContainText("Alice Adams changed the description");
  await expect(description).toHaveValue("Bob's careful draft, continued");
  await descriptionConflict.getByRole("button", { name: "Keep mine" }).click();
  await expect(ad.getByTestId("description-view")).toContainText("Bob's careful draft, continued");
  expect((await readTask(alice, org.id, task.id)).description).toBe("Bob's careful draft, continued");
  expect((await readTask(alice, org.id, task.id)).priority).toBe("high");

  // The same for the title, and this time Bob takes Alice's version.
  const title = bd.getByLabel("Title");
  await title.fill("Bob's title");
  await patchTask(alice, org.id, task.id, { title: "Alice's title" });
  const titleConflict = bd.getByTestId("conflict-title");
  await expect(titleConflict).toContainText("Alice Adams changed the title");
  await expect(title).toHaveValue("Bob's title");
  await titleConflict.getByRole("button", { name: "Take theirs" }).click();
  await expect(title).toHaveValue("Alice's title");
  await expect(titleConflict).toHaveCount(0);
  expect((await readTask(alice, org.id, task.id)).title).toBe("Alice's title");
});

test("a save based on a stale version (409): an unrelated change is merged, a change to the same field is shown, not overwritten", async ({
  browser,
}) => {
  const { alice, bob, org, b } = await twoEditors(browser, "STL");
  const task = await createTask(alice, org.id, { title: "Stale target", description: "First words" });
  const hub = await holdTaskUpdates(b);
  const bd = await openTask(b, org.slug, task.key);

  // Bob's tab misses Alice's priority change, then he saves a description from the old version.
  hub.drop = true;
  await patchTask(alice, org.id, task.id, { priority: "urgent" });
  await bd.getByRole("button", { name: "Edit description" }).click();
  await bd.getByRole("textbox", { name: "Description" }).fill("Bob's edit on an old version");
  const saved = b.waitForResponse((r) => r.request().method() === "PATCH" && r.status() === 200);
  await bd.getByRole("button", { name: "Save description" }).click();
  await saved;
  await expect(bd.getByTestId("description-view")).toContainText("Bob's edit on an old version");
  await expect(bd.getByLabel("Priority")).toHaveValue("urgent");
  const merged = await readTask(bob, org.id, task.id);
  expect(merged.description).toBe("Bob's edit on an old version");
  expect(merged.priority).toBe("urgent");

  // Now Alice renames it while Bob's tab is stale, and Bob renames it too: the API answers
  // 409 and Bob sees Alice's title next to his own instead of losing either.
  await patchTask(alice, org.id, task.id, { title: "Alice renamed it" });
  const title = bd.getByLabel("Title");
  await title.fill("Bob renamed it");
  const refused = b.waitForResponse((r) => r.request().method() === "PATCH" && r.status() === 409);
  await title.press("Enter");
  await refused;
  const conflict = bd.getByTestId("conflict-title");
  await expect(conflict).toContainText("Alice Adams changed the title");
  await expect(conflict).toContainText("Alice renamed it");
  await expect(title).toHaveValue("Bob renamed it");
  expect((await readTask(bob, org.id, task.id)).title).toBe("Alice renamed it");
  await conflict.getByRole("button", { name: "Keep mine" }).click();
  await expect(conflict).toHaveCount(0);
  await expect.poll(async () => (await readTask(bob, org.id, task.id)).title).toBe("Bob renamed it");
});
