import { grants, PERMISSIONS, type TApiKey, type TPermission } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { Checkbox } from "@tandem/ui/components/checkbox";
import { Input } from "@tandem/ui/components/input";
import { Label } from "@tandem/ui/components/label";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { unwrap } from "../../lib/api.ts";
import { useServices } from "../../lib/app-context.tsx";
import { useOrg } from "../../lib/org-context.tsx";
import { keys } from "../../lib/queries.ts";
import { useAdminAction } from "./admin-action.tsx";
import { ShownOnce } from "./shown-once.tsx";

const when = (iso: string | null, never: string) => (iso ? new Date(iso).toLocaleString() : never);

function KeyRow({ apiKey }: { apiKey: TApiKey }) {
  const org = useOrg();
  const { api } = useServices();
  const action = useAdminAction();
  return (
    <li className="flex items-center justify-between gap-3 py-2" data-testid="api-key" data-key={apiKey.name}>
      <div className="min-w-0 text-sm">
        <div className="font-medium">
          {apiKey.name} <code className="text-xs text-muted-foreground">{apiKey.prefix}…</code>
        </div>
        <div className="text-xs text-muted-foreground">
          {apiKey.permissions.length ? apiKey.permissions.join(", ") : "Read only"} · last used{" "}
          <span data-testid="last-used">{when(apiKey.lastUsedAt, "never")}</span> · expires{" "}
          {when(apiKey.expiresAt, "never")}
        </div>
      </div>
      {apiKey.revokedAt ? (
        <span className="text-xs text-muted-foreground">Revoked</span>
      ) : (
        <Button
          variant="ghost"
          size="sm"
          aria-label={`Revoke ${apiKey.name}`}
          onClick={() =>
            action.mutate({
              run: () =>
                unwrap(
                  api.api.orgs[":orgId"]["api-keys"][":keyId"].$delete({ param: { orgId: org.id, keyId: apiKey.id } }),
                ),
              refresh: [[...keys.apiKeys(org.id)]],
            })
          }
        >
          Revoke
        </Button>
      )}
    </li>
  );
}

/** SPEC §15: create (shown once), list with last use, revoke. */
export function ApiKeysSettings() {
  const org = useOrg();
  const { api } = useServices();
  const action = useAdminAction();
  const list = useQuery({
    queryKey: keys.apiKeys(org.id),
    queryFn: () => unwrap(api.api.orgs[":orgId"]["api-keys"].$get({ param: { orgId: org.id } })),
  });
  const [name, setName] = useState("");
  const [days, setDays] = useState("90");
  const [chosen, setChosen] = useState<TPermission[]>([]);
  const [created, setCreated] = useState<string | null>(null);
  const held = new Set(org.permissions);
  function create(event: FormEvent) {
    event.preventDefault();
    const expiresAt = Number(days) > 0 ? new Date(Date.now() + Number(days) * 86_400_000).toISOString() : null;
    action.mutate(
      {
        run: () =>
          unwrap(
            api.api.orgs[":orgId"]["api-keys"].$post({
              param: { orgId: org.id },
              json: { name, permissions: chosen, expiresAt },
            }),
          ),
        refresh: [[...keys.apiKeys(org.id)]],
      },
      {
        onSuccess: (answer) => {
          setCreated((answer as { key: string }).key);
          setName("");
          setChosen([]);
        },
      },
    );
  }
  return (
    <section aria-labelledby="api-keys-heading" className="space-y-4">
      <h2 id="api-keys-heading" className="text-lg font-semibold">
        API keys
      </h2>
      {created ? <ShownOnce value={created} what="key" testId="new-api-key" onDone={() => setCreated(null)} /> : null}
      <ul className="divide-y divide-border">
        {list.data?.map((apiKey) => (
          <KeyRow key={apiKey.id} apiKey={apiKey} />
        ))}
      </ul>
      <form onSubmit={create} className="space-y-3 rounded-lg border border-border p-4">
        <div className="flex flex-wrap gap-2">
          <Input
            aria-label="New API key name"
            placeholder="Key name (e.g. CI)"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            className="max-w-xs"
          />
          <Label className="flex items-center gap-2 text-sm">
            Expires in days (0: never)
            <Input type="number" min={0} value={days} onChange={(e) => setDays(e.target.value)} className="w-24" />
          </Label>
        </div>
        <div className="grid gap-3 sm:grid-cols-3">
          {Object.entries(PERMISSIONS).map(([category, names]) => (
            <fieldset key={category} className="space-y-1">
              <legend className="text-xs font-semibold uppercase text-muted-foreground">{category}</legend>
              {names.map((permission) => {
                const value = `${category}.${permission}` as TPermission;
                const allowed = grants(held, value);
                return (
                  <span key={value} className="flex items-center gap-2 text-sm">
                    <Checkbox
                      id={`new-key-${value}`}
                      aria-label={`API key ${value}`}
                      checked={chosen.includes(value)}
                      disabled={!allowed}
                      title={allowed ? undefined : `You need ${value} to grant it`}
                      onCheckedChange={(checked) =>
                        setChosen(checked ? [...chosen, value] : chosen.filter((p) => p !== value))
                      }
                    />
                    <Label htmlFor={`new-key-${value}`}>{permission}</Label>
                  </span>
                );
              })}
            </fieldset>
          ))}
        </div>
        <Button type="submit">Create API key</Button>
      </form>
    </section>
  );
}
