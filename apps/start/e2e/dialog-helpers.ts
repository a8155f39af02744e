import { type Browser, expect, type Page } from "@playwright/test";
import { addMember, createOrg, createUser, signIn, type TestUser } from "./helpers.ts";

export type TaskJson = {
  id: string;
  key: string;
  title: string;
  description: string;
  priority: string;
  status: string;
  version: number;
  assigneeIds: string[];
};

const EDITOR_PERMISSIONS = ["tasks.create", "tasks.edit", "tasks.assign", "tasks.delete"];

/** Adds `user` to the org through a team that may edit, assign and delete tasks. */
export async function addEditor(owner: TestUser, orgId: string, user: TestUser) {
  const response = await owner.api.post(`/api/orgs/${orgId}/teams`, {
    data: { name: `Editors ${user.name}`, permissions: EDITOR_PERMISSIONS },
  });
  expect(response.status()).toBe(201);
  await addMember(owner, orgId, user, (await response.json()).id);
}

export async function createTask(user: TestUser, orgId: string, data: Record<string, unknown>): Promise<TaskJson> {
  const response = await user.api.post(`/api/orgs/${orgId}/tasks`, { data });
  expect(response.status()).toBe(201);
  return response.json();
}

export async function readTask(user: TestUser, orgId: string, taskId: string): Promise<TaskJson> {
  const response = await user.api.get(`/api/orgs/${orgId}/tasks/${taskId}`);
  expect(response.ok()).toBeTruthy();
  return response.json();
}

/** Edits a task through the API as `user` (a remote change for every open tab), based on its current version. */
export async function patchTask(user: TestUser, orgId: string, taskId: string, patch: Record<string, unknown>) {
  const { version } = await readTask(user, orgId, taskId);
  const response = await user.api.patch(`/api/orgs/${orgId}/tasks/${taskId}`, { data: { ...patch, version } });
  expect(response.ok()).toBeTruthy();
  return (await response.json()) as TaskJson;
}

/** Two people in one org: Alice owns it, Bob edits. Both signed in, in their own browser contexts. */
export async function twoEditors(browser: Browser, prefix: string) {
  const alice = await createUser("Alice Adams");
  const bob = await createUser("Bob Brown");
  const org = await createOrg(alice, prefix);
  await addEditor(alice, org.id, bob);
  const a = await signIn(browser, alice);
  const b = await signIn(browser, bob);
  return { alice, bob, org, a: a.page, b: b.page };
}

/** Opens a task by its deep link and waits for the dialog and the live connection. */
export async function openTask(page: Page, slug: string, key: string) {
  await page.goto(`/o/${slug}?task=${key}`);
  // Generous: on a loaded machine the first socket of a fresh context can take a while.
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-status", "connected", {
    timeout: 15_000,
  });
  const dialog = page.getByTestId("task-dialog");
  await expect(dialog).toBeVisible();
  return dialog;
}

/**
 * Proxies the page's WebSocket and, while `drop` is set, swallows UPDATE_TASK messages: the
 * tab's cache goes stale the way it does when an event is still in flight.
 */
export async function holdTaskUpdates(page: Page) {
  const hub = { drop: false };
  await page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((message) => {
      if (hub.drop && typeof message === "string" && message.includes('"type":"UPDATE_TASK"')) return;
      ws.send(message);
    });
  });
  return hub;
}
