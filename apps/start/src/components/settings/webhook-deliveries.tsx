import type { TWebhookDelivery } from "@tandem/contracts";
import { useQuery } from "@tanstack/react-query";
import { unwrap } from "../../lib/api.ts";
import { useServices } from "../../lib/app-context.tsx";
import { useOrg } from "../../lib/org-context.tsx";
import { keys } from "../../lib/queries.ts";
import { ActionButton } from "./admin-action.tsx";

export const deliveriesKey = (orgId: string, webhookId: string) => [...keys.webhooks(orgId), webhookId, "deliveries"];

function DeliveryRow({ delivery }: { delivery: TWebhookDelivery }) {
  const org = useOrg();
  const { api } = useServices();
  const last = delivery.attempts.at(-1);
  return (
    <li className="space-y-1 py-2 text-xs" data-testid="webhook-delivery" data-status={delivery.status}>
      <div className="flex items-center justify-between gap-2">
        <span>
          <span className="font-medium">{delivery.eventType}</span>
          {delivery.seq !== null ? <span className="text-muted-foreground"> #{delivery.seq}</span> : null} ·{" "}
          <span data-testid="delivery-status">{delivery.status}</span> · {delivery.attempts.length} attempt
          {delivery.attempts.length === 1 ? "" : "s"}
          {last ? ` · last ${last.statusCode ?? "no answer"} in ${last.latencyMs} ms` : ""}
          {delivery.nextAttemptAt ? ` · next ${new Date(delivery.nextAttemptAt).toLocaleTimeString()}` : ""}
        </span>
        <ActionButton
          label={`Redeliver ${delivery.id}`}
          run={() =>
            unwrap(
              api.api.orgs[":orgId"].webhooks[":webhookId"].deliveries[":deliveryId"].redeliver.$post({
                param: { orgId: org.id, webhookId: delivery.webhookId, deliveryId: delivery.id },
              }),
            )
          }
          refresh={[deliveriesKey(org.id, delivery.webhookId)]}
        >
          Redeliver
        </ActionButton>
      </div>
      {last?.error || last?.response ? (
        <pre className="max-h-24 overflow-auto whitespace-pre-wrap rounded bg-muted p-1 text-[11px]">
          {last.error ? `${last.error}\n` : ""}
          {last.response ?? ""}
        </pre>
      ) : null}
    </li>
  );
}

/** An endpoint's delivery log, newest first, each with its last attempt and a redeliver button. */
export function WebhookDeliveries({ webhookId }: { webhookId: string }) {
  const org = useOrg();
  const { api } = useServices();
  const log = useQuery({
    queryKey: deliveriesKey(org.id, webhookId),
    queryFn: () =>
      unwrap(
        api.api.orgs[":orgId"].webhooks[":webhookId"].deliveries.$get({
          param: { orgId: org.id, webhookId },
          query: {},
        }),
      ),
    refetchInterval: 5000,
  });
  if (!log.data) return <p className="text-xs text-muted-foreground">Loading deliveries…</p>;
  if (log.data.length === 0) return <p className="text-xs text-muted-foreground">No deliveries yet.</p>;
  return (
    <ul className="divide-y divide-border" aria-label="Deliveries">
      {log.data.map((delivery) => (
        <DeliveryRow key={delivery.id} delivery={delivery} />
      ))}
    </ul>
  );
}
