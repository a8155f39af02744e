import AxeBuilder from "@axe-core/playwright";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { createTask } from "./dialog-helpers.ts";
import { addMember, createOrg, createUser, signIn } from "./helpers.ts";

/** Issue 9 item 7: every control of the task dialog says why it is unavailable. */

const hint = (permission: string) => `You need the ${permission} permission — ask an admin`;

/** The reason shows on hover, and the control (or its wrapper) is described by it. */
async function expectReasonOnHover(page: Page, target: Locator, permission: string) {
  await page.mouse.move(1, 899, { steps: 4 });
  await expect(page.getByRole("tooltip")).toHaveCount(0);
  // Where the control is on screen: a disabled control takes no pointer events, so its
  // wrapper gets them (force skips Playwright's check that the control itself would).
  await target.hover({ force: true });
  await expect(page.getByRole("tooltip")).toHaveText(hint(permission));
}

test("a member without task permissions sees, on hover and focus, which permission each task control needs", async ({
  browser,
}) => {
  const admin = await createUser("Ada Admin");
  const reader = await createUser("Rey Reader");
  const org = await createOrg(admin, "WHY");
  expect((await admin.api.post(`/api/orgs/${org.id}/labels`, { data: { name: "bug", color: "#d73a4a" } })).ok()).toBe(
    true,
  );
  expect(
    (await admin.api.post(`/api/orgs/${org.id}/categories`, { data: { name: "Web", color: "#0969da" } })).ok(),
  ).toBe(true);
  const task = await createTask(admin, org.id, { title: "Explain yourself" });
  await addMember(admin, org.id, reader);

  const { page } = await signIn(browser, reader);
  await page.goto(`/o/${org.slug}?task=${task.key}`);
  const dialog = page.getByTestId("task-dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "bug" })).toBeVisible();

  // Text fields and selects: disabled, described by the reason, which a hover shows.
  const gated: [Locator, string][] = [
    [dialog.getByRole("textbox", { name: "Title" }), "tasks.edit"],
    [dialog.getByRole("combobox", { name: "State" }), "tasks.edit"],
    [dialog.getByRole("combobox", { name: "Priority" }), "tasks.edit"],
    [dialog.getByRole("combobox", { name: "Visibility" }), "tasks.edit"],
    [dialog.getByRole("combobox", { name: "Category" }), "tasks.edit"],
    [dialog.getByRole("button", { name: /Assignees/ }), "tasks.assign"],
    [dialog.getByRole("button", { name: "bug" }), "tasks.edit"],
    [dialog.getByRole("textbox", { name: "Add a sub-task" }), "tasks.create"],
  ];
  for (const [control, permission] of gated) {
    await expect(control).toBeDisabled();
    await expect(control).toHaveAccessibleDescription(hint(permission));
    await expectReasonOnHover(page, control, permission);
  }
  await page.screenshot({ path: "e2e/.results/permission-reason-select.png" });
  // The wrappers add no serious or critical accessibility problem to the read-only dialog.
  const axe = await new AxeBuilder({ page }).include("[data-testid=task-dialog]").analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  // Buttons that open an editor or a file picker stay focusable (aria-disabled) and do nothing.
  for (const name of ["Edit description", "Attach a file", "Delete task"]) {
    const button = dialog.getByRole("button", { name });
    await expect(button).toHaveAttribute("aria-disabled", "true");
    await expect(button).toHaveAccessibleDescription(/You need the tasks\.(edit|delete) permission — ask an admin/);
    await expectReasonOnHover(page, button, name === "Delete task" ? "tasks.delete" : "tasks.edit");
  }
  await dialog.getByRole("button", { name: "Edit description" }).click({ force: true });
  await expect(dialog.getByRole("textbox", { name: "Description" })).toHaveCount(0);

  // The keyboard reaches the reason too: focus lands on the disabled select's wrapper.
  await page.mouse.move(1, 899, { steps: 4 });
  const statusGate = dialog.locator("[data-missing-permission]").filter({ has: page.getByLabel("State") });
  await expect(statusGate).toHaveAccessibleDescription(hint("tasks.edit"));
  await statusGate.focus();
  await expect(page.getByRole("tooltip")).toHaveText(hint("tasks.edit"));

  // Commenting needs only membership: the comment box is open to this member.
  const comment = dialog.getByRole("textbox", { name: "Add a comment" });
  await expect(comment).toBeEnabled();
  await comment.fill("I can still say something");
  await dialog.getByRole("button", { name: "Comment" }).click();
  await expect(dialog.getByText("I can still say something")).toBeVisible();
});

test("with the permissions, the same controls are plain and enabled", async ({ browser }) => {
  const admin = await createUser("Ada Admin");
  const org = await createOrg(admin, "ALL");
  const task = await createTask(admin, org.id, { title: "All allowed" });
  const { page } = await signIn(browser, admin);
  await page.goto(`/o/${org.slug}?task=${task.key}`);
  const dialog = page.getByTestId("task-dialog");
  await expect(dialog.getByRole("combobox", { name: "State" })).toBeEnabled();
  await expect(dialog.getByRole("textbox", { name: "Title" })).toBeEnabled();
  await expect(dialog.getByRole("textbox", { name: "Add a sub-task" })).toBeEnabled();
  await expect(dialog.getByRole("button", { name: /Assignees/ })).toBeEnabled();
  await expect(dialog.locator("[data-missing-permission]")).toHaveCount(0);
});

test("an org deleted while a member has it open says it was deleted, not that they were removed", async ({
  browser,
}) => {
  const admin = await createUser("Ada Admin");
  const member = await createUser("Mo Member");
  const org = await createOrg(admin, "GON");
  await createTask(admin, org.id, { title: "Soon gone" });
  await addMember(admin, org.id, member);

  const { page } = await signIn(browser, member);
  await page.goto(`/o/${org.slug}`);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-status", "connected");
  await expect(page.getByTestId("task-card")).toHaveCount(1);
  expect((await admin.api.delete(`/api/orgs/${org.id}`)).ok()).toBe(true);

  await expect(page.getByRole("heading", { name: "This organization was deleted" })).toBeVisible({ timeout: 2000 });
  await expect(page.getByText(`An administrator deleted Org ${org.slug}`)).toBeVisible();
  await expect(page.getByText(/You were removed/)).toHaveCount(0);
  await expect(page.getByTestId("task-card")).toHaveCount(0);
  await page.screenshot({ path: "e2e/.results/org-deleted-notice.png" });
});
