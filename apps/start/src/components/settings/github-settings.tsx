import type { TRepoLinkWithSecret } from "@tandem/contracts";
import { Badge } from "@tandem/ui/components/badge";
import { Button } from "@tandem/ui/components/button";
import { Input } from "@tandem/ui/components/input";
import { toast } from "@tandem/ui/components/toaster";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { unwrap } from "../../lib/api.ts";
import { useServices } from "../../lib/app-context.tsx";
import { useOrg } from "../../lib/org-context.tsx";
import { ActionButton, useAdminAction } from "./admin-action.tsx";

function CopyButton({ value, label }: { value: string; label: string }) {
  return (
    <Button
      type="button"
      variant="outline"
      size="sm"
      aria-label={label}
      onClick={() =>
        navigator.clipboard.writeText(value).then(
          () => toast.success("Copied"),
          () => toast.error("Could not copy: select the text and copy it"),
        )
      }
    >
      Copy
    </Button>
  );
}

/** One line of GitHub's webhook form: the field, what to put in it, a copy button when it helps. */
function FormRow({ field, value, copy }: { field: string; value: string; copy?: string }) {
  return (
    <div className="grid grid-cols-[9rem_1fr_auto] items-center gap-2">
      <dt className="text-muted-foreground">{field}</dt>
      <dd className="min-w-0">
        <code className="block break-all rounded bg-muted px-2 py-1">{value}</code>
      </dd>
      {copy ? <CopyButton value={value} label={copy} /> : <span />}
    </div>
  );
}

/** Shown once after linking or rotating: what to paste into GitHub's "Add webhook" form. */
function WebhookSetup({ link, onDone }: { link: TRepoLinkWithSecret; onDone: () => void }) {
  return (
    <section
      aria-label={`Webhook for ${link.fullName}`}
      data-testid="webhook-setup"
      className="space-y-3 rounded-lg border border-border bg-card p-4 text-sm"
    >
      <p>
        On GitHub, open <strong>{link.fullName}</strong> → Settings → Webhooks → Add webhook, and fill in:
      </p>
      <dl className="space-y-2">
        <FormRow field="Payload URL" value={link.deliveryUrl} copy="Copy payload URL" />
        <FormRow field="Content type" value="application/json" />
        <FormRow field="Secret" value={link.webhookSecret} copy="Copy secret" />
        <FormRow field="Events" value="Issues, Pull requests, Pull request reviews, Issue comments, Labels" />
      </dl>
      <p className="text-muted-foreground">
        The secret is shown only now. Deliveries signed with anything else are refused; if it is lost, rotate it and
        update the webhook.
      </p>
      <Button size="sm" onClick={onDone}>
        I have saved it
      </Button>
    </section>
  );
}

/** GitHub App mode: installations this org has claimed (their deliveries reach only this org). */
function Installations() {
  const org = useOrg();
  const { api } = useServices();
  const github = api.api.orgs[":orgId"].github;
  const installations = useQuery({
    queryKey: ["github-installations", org.id],
    queryFn: () => unwrap(github.installations.$get({ param: { orgId: org.id } })),
  });
  const action = useAdminAction();
  const [installationId, setInstallationId] = useState("");
  const refresh = [["github-installations", org.id]];
  return (
    <div className="space-y-2 text-sm">
      <h3 className="font-medium">GitHub App installations</h3>
      <p className="text-muted-foreground">
        Claiming needs proof that you can access the installation on GitHub: sign in to Tandem with GitHub first.
      </p>
      <ul className="space-y-1">
        {installations.data?.map((installation) => (
          <li key={installation.id} className="flex items-center gap-2">
            <span>
              {installation.account} <span className="text-muted-foreground">#{installation.id}</span>
            </span>
            <ActionButton
              run={() =>
                unwrap(
                  github.installations[":installationId"].$delete({
                    param: { orgId: org.id, installationId: String(installation.id) },
                  }),
                )
              }
              refresh={refresh}
            >
              Release
            </ActionButton>
          </li>
        ))}
      </ul>
      <form
        className="flex flex-wrap gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          action.mutate(
            {
              run: () =>
                unwrap(
                  github.installations.$post({
                    param: { orgId: org.id },
                    json: { installationId: Number(installationId) },
                  }),
                ),
              refresh,
            },
            { onSuccess: () => setInstallationId("") },
          );
        }}
      >
        <Input
          aria-label="Installation id"
          placeholder="installation id"
          inputMode="numeric"
          pattern="[0-9]+"
          value={installationId}
          onChange={(e) => setInstallationId(e.target.value)}
          required
          className="w-48"
        />
        <Button type="submit" variant="outline">
          Claim installation
        </Button>
      </form>
    </div>
  );
}

/** Deliveries that failed after all retries: what failed, where, and a retry each (one more attempt). */
function DeadDeliveries() {
  const org = useOrg();
  const { api } = useServices();
  const github = api.api.orgs[":orgId"].github;
  const dead = useQuery({
    queryKey: ["github-dead", org.id],
    queryFn: () => unwrap(github.deliveries.$get({ param: { orgId: org.id }, query: { status: "dead" } })),
  });
  if (!dead.data?.length) return null;
  return (
    <section aria-labelledby="dead-deliveries-heading" className="space-y-2 text-sm" data-testid="dead-deliveries">
      <h3 id="dead-deliveries-heading" className="font-medium text-destructive">
        {dead.data.length} webhook {dead.data.length === 1 ? "delivery" : "deliveries"} failed after all retries
      </h3>
      <ul className="divide-y divide-border rounded-lg border border-border">
        {dead.data.map((delivery) => (
          <li
            key={delivery.id}
            className="flex flex-wrap items-start justify-between gap-2 p-3"
            data-testid="dead-delivery"
          >
            <div className="min-w-0 space-y-1">
              <p>
                <span className="font-medium">
                  {delivery.event}
                  {delivery.action ? `.${delivery.action}` : ""}
                </span>{" "}
                <span className="text-muted-foreground">
                  {delivery.repository} · received {new Date(delivery.receivedAt).toLocaleString()}
                </span>
              </p>
              <p className="break-words">
                <span className="text-muted-foreground">
                  Last error{delivery.errorStep ? ` (step: ${delivery.errorStep})` : ""}:{" "}
                </span>
                <code className="rounded bg-muted px-1">{delivery.error ?? "unknown"}</code>
              </p>
            </div>
            <ActionButton
              variant="outline"
              label={`Retry ${delivery.event} delivery ${delivery.id}`}
              run={() =>
                unwrap(
                  github.deliveries[":deliveryId"].retry.$post({ param: { orgId: org.id, deliveryId: delivery.id } }),
                )
              }
              refresh={[["github-dead", org.id]]}
            >
              Retry
            </ActionButton>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * Linked GitHub repositories: link (a fresh webhook secret each, an optional token checked on
 * GitHub), the webhook form's values shown once, rotate, resync, unlink, dead deliveries.
 */
export function GithubSettings() {
  const org = useOrg();
  const { api } = useServices();
  const github = api.api.orgs[":orgId"].github;
  const repos = useQuery({
    queryKey: ["github-repos", org.id],
    queryFn: () => unwrap(github.repos.$get({ param: { orgId: org.id } })),
  });
  const action = useAdminAction();
  const [fullName, setFullName] = useState("");
  const [token, setToken] = useState("");
  const [shown, setShown] = useState<TRepoLinkWithSecret | null>(null);
  const refresh = [["github-repos", org.id]];
  const rotate = (repoId: string) =>
    action.mutate({
      run: async () =>
        setShown(await unwrap(github.repos[":repoId"]["webhook-secret"].$post({ param: { orgId: org.id, repoId } }))),
      refresh,
    });
  return (
    <section aria-labelledby="github-heading" className="space-y-4">
      <h2 id="github-heading" className="text-lg font-semibold">
        GitHub
      </h2>
      {shown ? <WebhookSetup link={shown} onDone={() => setShown(null)} /> : null}
      <ul className="divide-y divide-border rounded-lg border border-border">
        {repos.data?.map((repo) => (
          <li key={repo.id} className="space-y-2 p-3 text-sm" data-testid="repo-link">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <span className="flex items-center gap-2">
                {repo.fullName}
                <Badge variant="secondary">{repo.hasToken ? "two-way" : "GitHub → Tandem"}</Badge>
                {repo.lastSyncedAt ? (
                  <span className="text-muted-foreground">synced {new Date(repo.lastSyncedAt).toLocaleString()}</span>
                ) : null}
              </span>
              <span className="flex gap-1">
                <Button variant="ghost" size="sm" onClick={() => rotate(repo.id)}>
                  Rotate secret
                </Button>
                {repo.hasToken ? (
                  <ActionButton
                    run={() =>
                      unwrap(github.repos[":repoId"].resync.$post({ param: { orgId: org.id, repoId: repo.id } }))
                    }
                    refresh={refresh}
                  >
                    Resync now
                  </ActionButton>
                ) : null}
                <ActionButton
                  run={() => unwrap(github.repos[":repoId"].$delete({ param: { orgId: org.id, repoId: repo.id } }))}
                  refresh={refresh}
                >
                  Unlink
                </ActionButton>
              </span>
            </div>
            <div className="flex items-center gap-2">
              <span className="text-muted-foreground">Payload URL</span>
              <code className="min-w-0 truncate rounded bg-muted px-2 py-0.5">{repo.deliveryUrl}</code>
              <CopyButton value={repo.deliveryUrl} label={`Copy payload URL of ${repo.fullName}`} />
            </div>
            {repo.hasWebhookSecret ? null : (
              <p className="text-destructive">No webhook secret yet: nothing is received until you rotate one.</p>
            )}
          </li>
        ))}
      </ul>
      <form
        className="flex flex-wrap gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          action.mutate(
            {
              run: async () =>
                setShown(
                  await unwrap(
                    github.repos.$post({ param: { orgId: org.id }, json: { fullName, ...(token ? { token } : {}) } }),
                  ),
                ),
              refresh,
            },
            {
              onSuccess: () => {
                setFullName("");
                setToken("");
              },
            },
          );
        }}
      >
        <Input
          aria-label="Repository (owner/name)"
          placeholder="owner/name"
          value={fullName}
          onChange={(e) => setFullName(e.target.value)}
          required
        />
        <Input
          aria-label="GitHub token (optional)"
          aria-describedby="github-token-hint"
          placeholder="token for two-way sync"
          type="password"
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
        <Button type="submit">Link repository</Button>
      </form>
      <p id="github-token-hint" className="text-sm text-muted-foreground">
        A token with push access to the repository turns on two-way sync and reconciliation; it is checked on GitHub and
        never shown again.
      </p>
      <DeadDeliveries />
      <Installations />
    </section>
  );
}
