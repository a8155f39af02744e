import { EVENT_TYPES, type TWebhook } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { Input } from "@tandem/ui/components/input";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { unwrap } from "../../lib/api.ts";
import { useServices } from "../../lib/app-context.tsx";
import { useOrg } from "../../lib/org-context.tsx";
import { keys } from "../../lib/queries.ts";
import { useLive } from "../../lib/use-live.ts";
import { ActionButton, useAdminAction } from "./admin-action.tsx";
import { ShownOnce } from "./shown-once.tsx";
import { deliveriesKey, WebhookDeliveries } from "./webhook-deliveries.tsx";

type Events = ["*"] | (typeof EVENT_TYPES)[number][];

/** "*" or a comma-separated list of event types, as typed into the form. */
function parseEvents(text: string): Events {
  const parts = text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0 || parts.includes("*")) return ["*"];
  return parts as Events;
}

function WebhookRow({ webhook, onSecret }: { webhook: TWebhook; onSecret: (secret: string) => void }) {
  const org = useOrg();
  const { api } = useServices();
  const action = useAdminAction();
  const [open, setOpen] = useState(false);
  const [events, setEvents] = useState(webhook.events.join(", "));
  const routes = api.api.orgs[":orgId"].webhooks[":webhookId"];
  const param = { orgId: org.id, webhookId: webhook.id };
  const refresh = [[...keys.webhooks(org.id)], deliveriesKey(org.id, webhook.id)];
  const patch = (json: { enabled?: boolean; events?: Events }) =>
    action.mutate({ run: () => unwrap(routes.$patch({ param, json })), refresh });
  return (
    <li className="space-y-2 py-3" data-testid="webhook" data-url={webhook.url}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="min-w-0 text-sm">
          <div className="break-all font-medium">{webhook.url}</div>
          <div className="text-xs text-muted-foreground">
            <span data-testid="webhook-state">{webhook.enabled ? "Enabled" : "Disabled"}</span>
            {webhook.disabledReason ? ` — ${webhook.disabledReason}` : ""}
            {webhook.projectId ? ` · project ${webhook.projectId}` : ""}
            {webhook.previousSecretExpiresAt
              ? ` · previous secret signs until ${new Date(webhook.previousSecretExpiresAt).toLocaleString()}`
              : ""}
          </div>
        </div>
        <div className="flex flex-wrap gap-1">
          <Button variant="ghost" size="sm" onClick={() => patch({ enabled: !webhook.enabled })}>
            {webhook.enabled ? "Disable" : "Enable"}
          </Button>
          <ActionButton
            label={`Ping ${webhook.url}`}
            run={() => unwrap(routes.ping.$post({ param }))}
            refresh={refresh}
          >
            Ping
          </ActionButton>
          <Button
            variant="ghost"
            size="sm"
            onClick={() =>
              action.mutate(
                { run: () => unwrap(routes["rotate-secret"].$post({ param, json: {} })), refresh },
                { onSuccess: (answer) => onSecret((answer as { secret: string }).secret) },
              )
            }
          >
            Rotate secret
          </Button>
          <Button variant="ghost" size="sm" aria-expanded={open} onClick={() => setOpen(!open)}>
            Deliveries
          </Button>
          <ActionButton label={`Delete ${webhook.url}`} run={() => unwrap(routes.$delete({ param }))} refresh={refresh}>
            Delete
          </ActionButton>
        </div>
      </div>
      <form
        className="flex gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          patch({ events: parseEvents(events) });
        }}
      >
        <Input
          aria-label={`Events for ${webhook.url}`}
          value={events}
          onChange={(e) => setEvents(e.target.value)}
          className="text-xs"
        />
        <Button type="submit" size="sm" variant="outline">
          Save events
        </Button>
      </form>
      {open ? <WebhookDeliveries webhookId={webhook.id} /> : null}
    </li>
  );
}

/** SPEC §15: endpoints (secret shown once), events, enable, ping, rotate, delivery log, redeliver. */
export function WebhooksSettings() {
  const org = useOrg();
  const { api } = useServices();
  const action = useAdminAction();
  // Webhook events (another admin's change, the sender disabling a failing endpoint) arrive on
  // the admin channel: the list refreshes as they do.
  useLive(org.id, "admin");
  const list = useQuery({
    queryKey: keys.webhooks(org.id),
    queryFn: () => unwrap(api.api.orgs[":orgId"].webhooks.$get({ param: { orgId: org.id } })),
  });
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState("*");
  const [secret, setSecret] = useState<string | null>(null);
  function create(event: FormEvent) {
    event.preventDefault();
    action.mutate(
      {
        run: () =>
          unwrap(
            api.api.orgs[":orgId"].webhooks.$post({
              param: { orgId: org.id },
              json: { url, events: parseEvents(events) },
            }),
          ),
        refresh: [[...keys.webhooks(org.id)]],
      },
      {
        onSuccess: (answer) => {
          setSecret((answer as { secret: string }).secret);
          setUrl("");
        },
      },
    );
  }
  return (
    <section aria-labelledby="webhooks-heading" className="space-y-4">
      <h2 id="webhooks-heading" className="text-lg font-semibold">
        Webhooks
      </h2>
      <p className="text-sm text-muted-foreground">
        Events are sent signed (Standard Webhooks), in order, to each endpoint. Event types:{" "}
        <code className="text-xs">*</code> or a comma-separated list such as{" "}
        <code className="text-xs">{EVENT_TYPES.slice(0, 2).join(", ")}</code>.
      </p>
      {secret ? (
        <ShownOnce value={secret} what="signing secret" testId="new-webhook-secret" onDone={() => setSecret(null)} />
      ) : null}
      <ul className="divide-y divide-border">
        {list.data?.map((webhook) => (
          <WebhookRow key={webhook.id} webhook={webhook} onSecret={setSecret} />
        ))}
      </ul>
      <form onSubmit={create} className="flex flex-wrap gap-2 rounded-lg border border-border p-4">
        <Input
          aria-label="New webhook URL"
          placeholder="https://hooks.example.com/tandem"
          type="url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          required
          className="min-w-64 flex-1"
        />
        <Input
          aria-label="New webhook events"
          value={events}
          onChange={(e) => setEvents(e.target.value)}
          className="w-48"
        />
        <Button type="submit">Add webhook</Button>
      </form>
    </section>
  );
}
