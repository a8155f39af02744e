import { expect, test } from "@playwright/test";
import { createOrg, createUser, signIn, type TestUser } from "./helpers.ts";

/** Issue 9 item 7: invites with teams, and permission changes reaching an open tab. */

async function createTeam(owner: TestUser, orgId: string, name: string, permissions: string[]) {
  const response = await owner.api.post(`/api/orgs/${orgId}/teams`, { data: { name, permissions } });
  expect(response.status()).toBe(201);
  return (await response.json()) as { id: string };
}

async function joinWithoutTeam(owner: TestUser, orgId: string, user: TestUser) {
  const invite = await (await owner.api.post(`/api/orgs/${orgId}/invites`, { data: {} })).json();
  expect((await user.api.post(`/api/invites/${invite.code}/accept`)).ok()).toBeTruthy();
}

test("the inviter picks the team, copies the link, and the invitee joins with that team's permissions", async ({
  browser,
}) => {
  const admin = await createUser("Ada Admin");
  const org = await createOrg(admin, "INV");
  await createTeam(admin, org.id, "Writers", ["tasks.create"]);
  const { context, page } = await signIn(browser, admin);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto(`/o/${org.slug}/settings`);

  const form = page.getByRole("form", { name: "Invite someone" });
  await form.getByRole("checkbox", { name: "Writers" }).click();
  await form.getByRole("button", { name: "Create invite link" }).click();
  const invite = page.getByTestId("invite").filter({ hasText: "joins Writers" });
  await expect(invite).toBeVisible();
  await invite.getByRole("button", { name: "Copy link" }).click();
  await expect(page.getByText("Invite link copied")).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await invite.getByTestId("invite-link").textContent());
  expect(copied).toMatch(/\/invite\/[\w-]+$/);
  await page.screenshot({ path: "e2e/.results/invite-form.png", fullPage: true });

  const joiner = await createUser("Jo Joiner");
  const joined = await signIn(browser, joiner);
  await joined.page.goto(new URL(copied).pathname);
  await joined.page.getByRole("button", { name: "Join the organization" }).click();
  await joined.page.waitForURL(`**/o/${org.slug}`);
  const newTask = joined.page.getByRole("button", { name: /New task/ });
  await expect(newTask).toBeVisible();
  await expect(newTask).not.toHaveAttribute("aria-disabled", "true");
});

test("a read-only member sees why they cannot act; a new permission reaches the open tab at once", async ({
  browser,
}) => {
  const admin = await createUser("Ada Admin");
  const member = await createUser("Rey Reader");
  const org = await createOrg(admin, "PRM");
  const writers = await createTeam(admin, org.id, "Writers", ["tasks.create"]);
  await joinWithoutTeam(admin, org.id, member);

  const { page } = await signIn(browser, member);
  await page.goto(`/o/${org.slug}`);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-status", "connected");
  const newTask = page.getByRole("button", { name: /New task/ });
  await expect(newTask).toHaveAttribute("aria-disabled", "true");
  await newTask.hover();
  await expect(page.getByRole("tooltip")).toHaveText("You need the tasks.create permission — ask an admin");
  await page.screenshot({ path: "e2e/.results/permission-tooltip.png" });
  // A click anyway (Playwright would wait for an aria-disabled button to enable) does nothing.
  await newTask.click({ force: true });
  await expect(page.getByRole("dialog")).toHaveCount(0);

  const added = await admin.api.put(`/api/orgs/${org.id}/teams/${writers.id}/members/${member.id}`);
  expect(added.status()).toBe(200);
  await expect(newTask).not.toHaveAttribute("aria-disabled", "true", { timeout: 2000 });
  await newTask.click();
  await expect(page.getByRole("dialog")).toBeVisible();
});

test("a removed member's open board turns into a clear notice", async ({ browser }) => {
  const admin = await createUser("Ada Admin");
  const member = await createUser("Rey Removed");
  const org = await createOrg(admin, "RMV");
  await joinWithoutTeam(admin, org.id, member);

  const { page } = await signIn(browser, member);
  await page.goto(`/o/${org.slug}`);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-status", "connected");
  expect((await admin.api.delete(`/api/orgs/${org.id}/members/${member.id}`)).status()).toBe(200);
  await expect(page.getByRole("heading", { name: `You were removed from Org ${org.slug}` })).toBeVisible({
    timeout: 2000,
  });
  await expect(page.getByTestId("task-card")).toHaveCount(0);
  await page.screenshot({ path: "e2e/.results/removed-notice.png" });
});

test("an invite bound to an unverified address asks for verification and can resend the mail", async ({ browser }) => {
  const admin = await createUser("Ada Admin");
  const invitee = await createUser("Una Unverified");
  const org = await createOrg(admin, "VER");
  const invite = await (await admin.api.post(`/api/orgs/${org.id}/invites`, { data: { email: invitee.email } })).json();

  const { page } = await signIn(browser, invitee);
  await page.goto(`/invite/${invite.code}`);
  await page.getByRole("button", { name: "Join the organization" }).click();
  await expect(page.getByRole("alert")).toContainText("Verify your e-mail address");
  await page.getByRole("button", { name: "Resend verification e-mail" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Sent again" })).toBeVisible();
  await page.screenshot({ path: "e2e/.results/invite-verify.png" });
  expect((await invitee.api.get("/api/me")).ok()).toBeTruthy();
  expect((await (await invitee.api.get("/api/me")).json()).orgs).toEqual([]);
});
