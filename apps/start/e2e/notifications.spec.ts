import { expect, test } from "@playwright/test";
import { createTask, openTask } from "./dialog-helpers.ts";
import { addMember, createOrg, createUser, signIn } from "./helpers.ts";

test("A mentions B with the @ picker: B's bell rises live, the notification lands on the comment, read syncs to B's other tab", async ({
  browser,
}) => {
  const ann = await createUser("Ann Author");
  const ben = await createUser("Ben Reader");
  const org = await createOrg(ann, "NTF");
  await addMember(ann, org.id, ben);
  const task = await createTask(ann, org.id, { title: "Mention me" });

  // Ben has the board open in two tabs; the bell shows nothing unread.
  const { context: benContext, page: benTab1 } = await signIn(browser, ben);
  const benTab2 = await benContext.newPage();
  for (const tab of [benTab1, benTab2]) {
    await tab.goto(`/o/${org.slug}`);
    await expect(tab.getByTestId("connection-status")).toHaveAttribute("data-status", "connected", { timeout: 15_000 });
    await expect(tab.getByTestId("notification-bell")).toBeVisible();
    await expect(tab.getByTestId("notification-count")).toHaveCount(0);
  }

  // Ann types "@Be", picks Ben from the member picker, and comments.
  const { page: annPage } = await signIn(browser, ann);
  const dialog = await openTask(annPage, org.slug, task.key);
  const box = dialog.getByRole("textbox", { name: "Add a comment" });
  await box.pressSequentially("Could you check this, @Be");
  await expect(dialog.getByTestId("mention-picker").getByRole("option", { name: "@Ben Reader" })).toBeVisible();
  await box.press("Enter");
  await expect(box).toHaveValue(`Could you check this, @[Ben Reader](user:${ben.id}) `);
  const sent = Date.now();
  await dialog.getByRole("button", { name: "Comment", exact: true }).click();
  // The comment shows the mention as Ben's name, not its markdown.
  await expect(dialog.getByTestId("comment").getByText("@Ben Reader")).toBeVisible();

  // Within a second, both of Ben's tabs count it.
  await expect(benTab1.getByTestId("notification-count")).toHaveText("1", { timeout: 1000 });
  const risenMs = Date.now() - sent;
  expect(risenMs).toBeLessThan(1500); // includes the click and the POST; the bell's own wait was ≤ 1 s
  await expect(benTab2.getByTestId("notification-count")).toHaveText("1");

  // Tab 1 opens the notifications page, then the notification: the task opens on the comment.
  await benTab1.getByTestId("notification-bell").click();
  const item = benTab1.getByTestId("notification");
  await expect(item).toHaveCount(1);
  await expect(item).toContainText(`Ann Author mentioned you in a comment on ${task.key}`);
  await item.getByRole("link").click();
  await expect(benTab1).toHaveURL(new RegExp(`/o/${org.slug}\\?task=${task.key}#comment-cmt_`));
  const linked = benTab1.getByTestId("task-dialog").locator('[data-testid="comment"][data-linked="true"]');
  await expect(linked).toBeVisible();
  await expect(linked).toContainText("Could you check this, @Ben Reader");
  await expect(linked).toBeInViewport();

  // Opening it marked it read: the other tab's bell follows.
  await expect(benTab2.getByTestId("notification-count")).toHaveCount(0);
  await expect(benTab1.getByTestId("notification-count")).toHaveCount(0);
});

test("the task dialog's bell: the creator watches, another member starts watching with one click and it stays", async ({
  browser,
}) => {
  const ann = await createUser("Ann Creator");
  const ben = await createUser("Ben Watcher");
  const org = await createOrg(ann, "WCH");
  await addMember(ann, org.id, ben);
  const task = await createTask(ann, org.id, { title: "Watch this" });

  const { page: annPage } = await signIn(browser, ann);
  const annDialog = await openTask(annPage, org.slug, task.key);
  await expect(annDialog.getByRole("button", { name: "Watching" })).toHaveAttribute("aria-pressed", "true");

  const { page: benPage } = await signIn(browser, ben);
  let dialog = await openTask(benPage, org.slug, task.key);
  const watch = dialog.getByRole("button", { name: "Watch", exact: true });
  await expect(watch).toHaveAttribute("aria-pressed", "false");
  await watch.click();
  await expect(dialog.getByRole("button", { name: "Watching" })).toHaveAttribute("aria-pressed", "true");
  // Kept on the server: a fresh page shows it too.
  dialog = await openTask(benPage, org.slug, task.key);
  await expect(dialog.getByRole("button", { name: "Watching" })).toHaveAttribute("aria-pressed", "true");
});
