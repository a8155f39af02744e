import { expect, test } from "@playwright/test";
import { createTask, openTask, readTask, twoEditors } from "./dialog-helpers.ts";
import { addMember, createOrg, createUser, signIn } from "./helpers.ts";

const DESCRIPTION = [
  "## Release plan",
  "",
  "- [x] write the notes",
  "- [ ] ship it",
  "",
  "| step | owner |",
  "| --- | --- |",
  "| build | CI |",
  "",
  "Run `bun test` first:",
  "",
  "```ts",
  "const answer = 42;",
  "```",
  "",
  "See https://example.com/docs for more.",
  "",
  '<img src=x onerror="window.__xss = 1">',
  "",
  "<script>window.__xss = 2</script>",
  "",
  "[a trap](javascript:window.__xss=3)",
].join("\n");

test("a description renders GitHub-flavoured markdown, raw HTML never runs, and edit/preview toggles", async ({
  browser,
}) => {
  const owner = await createUser("Mark Down");
  const org = await createOrg(owner, "MKD");
  const task = await createTask(owner, org.id, { title: "Markdown task", description: DESCRIPTION });
  const { page } = await signIn(browser, owner);
  const dialog = await openTask(page, org.slug, task.key);

  const view = dialog.getByTestId("description-view");
  await expect(view.getByRole("heading", { name: "Release plan" })).toBeVisible();
  await expect(view.getByRole("checkbox")).toHaveCount(2);
  await expect(view.getByRole("checkbox").first()).toBeChecked();
  await expect(view.getByRole("checkbox").last()).not.toBeChecked();
  await expect(view.getByRole("table").getByRole("cell", { name: "CI" })).toBeVisible();
  await expect(view.locator("pre code")).toHaveText("const answer = 42;");
  await expect(view.locator("p code")).toHaveText("bun test");
  await expect(view.getByRole("link", { name: "https://example.com/docs" })).toHaveAttribute(
    "href",
    "https://example.com/docs",
  );
  // Raw HTML is not rendered as elements, and nothing in it ran.
  await expect(view.locator("img, script, [onerror]")).toHaveCount(0);
  const trap = view.getByText("a trap");
  expect(await trap.evaluate((node) => node.closest("a")?.getAttribute("href") ?? "")).not.toMatch(/javascript/i);
  expect(await page.evaluate(() => "__xss" in window)).toBe(false);

  // Edit shows the source; Preview renders the draft; Save stores it.
  await dialog.getByRole("button", { name: "Edit description" }).click();
  const section = dialog.getByRole("region", { name: "Description" });
  const source = section.getByRole("textbox", { name: "Description" });
  await expect(source).toHaveValue(DESCRIPTION);
  await source.fill("**Bold** move\n\n- one\n- two");
  await section.getByRole("tab", { name: "Preview" }).click();
  await expect(section.getByTestId("markdown-preview").locator("strong")).toHaveText("Bold");
  await expect(section.getByTestId("markdown-preview").getByRole("listitem")).toHaveCount(2);
  await section.getByRole("tab", { name: "Write" }).click();
  await expect(source).toHaveValue("**Bold** move\n\n- one\n- two");
  await dialog.getByRole("button", { name: "Save description" }).click();
  await expect(view.locator("strong")).toHaveText("Bold");
  await expect
    .poll(async () => (await readTask(owner, org.id, task.id)).description)
    .toBe("**Bold** move\n\n- one\n- two");
  expect(await page.evaluate(() => "__xss" in window)).toBe(false);
});

test("comments show author and time, render markdown, are edited and deleted by their author, and history is live", async ({
  browser,
}) => {
  const { alice, org, a, b } = await twoEditors(browser, "CMT");
  const carol = await createUser("Carol Chen");
  await addMember(alice, org.id, carol);
  const task = await createTask(alice, org.id, { title: "Talk about it" });
  const ad = await openTask(a, org.slug, task.key);
  const bd = await openTask(b, org.slug, task.key);

  // Bob comments in markdown; Alice sees it live with his name and the time.
  await bd
    .getByRole("textbox", { name: "Add a comment" })
    .fill('Looks **good** to me <img src=x onerror="window.__xss=1">');
  await bd.getByRole("button", { name: "Comment", exact: true }).click();
  const mine = bd.getByTestId("comment").filter({ hasText: "Looks good to me" });
  await expect(mine).toBeVisible();
  const seen = ad.getByTestId("comment").filter({ hasText: "Looks good to me" });
  await expect(seen.locator("strong")).toHaveText("good");
  await expect(seen).toContainText("Bob Brown");
  await expect(seen.locator("time")).toHaveAttribute("datetime", /^\d{4}-\d\d-\d\dT/);
  await expect(seen.locator("time")).toHaveText("just now");
  await expect(seen.locator("img")).toHaveCount(0);
  await expect(ad.getByTestId("history")).toContainText("Bob Brown commented");

  // Only the author edits or deletes (Carol, a plain member, is offered neither).
  const c = await signIn(browser, carol);
  const cd = await openTask(c.page, org.slug, task.key);
  const carolSees = cd.getByTestId("comment").filter({ hasText: "Looks good to me" });
  await expect(carolSees).toBeVisible();
  await expect(carolSees.getByRole("button", { name: "Edit comment" })).toHaveCount(0);
  await expect(carolSees.getByRole("button", { name: "Delete comment" })).toHaveCount(0);

  await mine.getByRole("button", { name: "Edit comment" }).click();
  await bd.getByRole("textbox", { name: "Edit your comment" }).fill("Looks *great* to me");
  await bd.getByRole("button", { name: "Save comment" }).click();
  const edited = ad.getByTestId("comment").filter({ hasText: "Looks great to me" });
  await expect(edited.locator("em")).toHaveText("great");
  await expect(edited).toContainText("edited");
  await expect(ad.getByTestId("history")).toContainText("Bob Brown edited a comment");

  const mineNow = bd.getByTestId("comment").filter({ hasText: "Looks great to me" });
  await mineNow.getByRole("button", { name: "Delete comment" }).click();
  await mineNow.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(bd.getByTestId("comment")).toHaveCount(0);
  await expect(ad.getByTestId("comment")).toHaveCount(0);
  await expect(cd.getByTestId("comment")).toHaveCount(0);
  await expect(ad.getByTestId("history")).toContainText("Bob Brown deleted a comment");

  // A field change by Alice appears in Bob's history at once, in words.
  await ad.getByLabel("Priority").selectOption("high");
  await expect(bd.getByTestId("history")).toContainText("Alice Adams changed priority from No priority to High");
  // And in Alice's own, without a reload.
  await expect(ad.getByTestId("history")).toContainText("Alice Adams changed priority from No priority to High");
  expect(await a.evaluate(() => "__xss" in window)).toBe(false);
});
