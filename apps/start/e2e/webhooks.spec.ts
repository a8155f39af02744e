import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { createOrg, createUser, signIn } from "./helpers.ts";

type Received = { headers: IncomingHttpHeaders; body: string };

test("a webhook is created with its secret shown once, pinged (signed), rotated, disabled and deleted", async ({
  browser,
}) => {
  const received: Received[] = [];
  const receiver = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  try {
    const admin = await createUser("Wes Webhook");
    const org = await createOrg(admin, "WHK");
    const { context, page } = await signIn(browser, admin);
    await page.goto(`/o/${org.slug}/settings`);

    const section = page.getByRole("region", { name: "Webhooks" });
    await section.getByLabel("New webhook URL").fill(url);
    await section.getByRole("button", { name: "Add webhook" }).click();
    const shown = section.getByTestId("new-webhook-secret");
    await expect(shown).toHaveText(/^whsec_/);
    const secret = ((await shown.textContent()) ?? "").trim();
    await section.getByRole("button", { name: "Done" }).click();
    await expect(shown).toHaveCount(0);

    const row = section.getByTestId("webhook").filter({ hasText: url });
    await expect(row.getByTestId("webhook-state")).toHaveText("Enabled");
    await row.getByRole("button", { name: `Ping ${url}` }).click();
    await expect.poll(() => received.length).toBe(1);
    const [ping] = received;
    if (!ping) throw new Error("no ping");
    const headers = Object.fromEntries(Object.entries(ping.headers).map(([k, v]) => [k, String(v)]));
    expect(new Webhook(secret).verify(ping.body, headers)).toMatchObject({ type: "PING" });

    await row.getByRole("button", { name: "Deliveries" }).click();
    await expect(row.getByTestId("webhook-delivery").first()).toHaveAttribute("data-status", "delivered");

    await row.getByRole("button", { name: "Rotate secret" }).click();
    await expect(shown).toHaveText(/^whsec_/);
    expect(((await shown.textContent()) ?? "").trim()).not.toBe(secret);
    await section.getByRole("button", { name: "Done" }).click();
    await expect(row).toContainText("previous secret signs until");

    await row.getByRole("button", { name: "Disable" }).click();
    await expect(row.getByTestId("webhook-state")).toHaveText("Disabled");
    // A change made elsewhere (here: the API; in production also the sender disabling a failing
    // endpoint) reaches the open page over the admin channel, without a reload.
    const hooks = (await (await admin.api.get(`/api/orgs/${org.id}/webhooks`)).json()) as { id: string }[];
    const patched = await admin.api.patch(`/api/orgs/${org.id}/webhooks/${hooks[0]?.id}`, { data: { enabled: true } });
    expect(patched.status()).toBe(200);
    await expect(row.getByTestId("webhook-state")).toHaveText("Enabled");
    await row.getByRole("button", { name: "Disable" }).click();
    await expect(row.getByTestId("webhook-state")).toHaveText("Disabled");
    await row.getByRole("button", { name: `Delete ${url}` }).click();
    await expect(row).toHaveCount(0);
    await expect(page.getByText(secret)).toHaveCount(0);
    await context.close();
  } finally {
    receiver.close();
  }
});
