import { expect, test } from "@playwright/test";
import { createTask, readTask, twoEditors } from "./dialog-helpers.ts";
import { card, dragTo, screenshot } from "./helpers.ts";

test("a label deleted elsewhere leaves an open board current: the next move is not a conflict", async ({ browser }) => {
  const { alice, org, b } = await twoEditors(browser, "LBD");
  const created = await alice.api.post(`/api/orgs/${org.id}/labels`, { data: { name: "short-lived" } });
  expect(created.status()).toBe(201);
  const label = await created.json();
  const task = await createTask(alice, org.id, { title: "Labelled card", status: "todo", labelIds: [label.id] });
  await b.goto(`/o/${org.slug}`);
  await expect(b.getByTestId("connection-status")).toHaveAttribute("data-status", "connected");
  await expect(card(b, "Labelled card")).toBeVisible();

  // The deletion bumps the task's version; the open board refetches its tasks.
  const refetched = b.waitForResponse(
    (r) => r.request().method() === "GET" && new URL(r.url()).pathname === `/api/orgs/${org.id}/tasks`,
  );
  expect((await alice.api.delete(`/api/orgs/${org.id}/labels/${label.id}`)).status()).toBe(200);
  await refetched;
  expect((await readTask(alice, org.id, task.id)).version).toBe(2);

  await dragTo(b, "Labelled card", "done");
  await expect.poll(async () => (await readTask(alice, org.id, task.id)).status).toBe("done");
  await expect(b.getByText("Someone else changed this task")).toHaveCount(0);
  await expect(card(b, "Labelled card")).toHaveCount(1);
  await screenshot(b, "label-delete");
});
