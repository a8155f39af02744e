import { PUBLIC_TASK_FIELDS } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { Checkbox } from "@tandem/ui/components/checkbox";
import { Input } from "@tandem/ui/components/input";
import { Label } from "@tandem/ui/components/label";
import { useQuery } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { useState } from "react";
import { OrgHeader } from "../components/org-header.tsx";
import { useAdminAction } from "../components/settings/admin-action.tsx";
import { ApiKeysSettings } from "../components/settings/api-keys-settings.tsx";
import { GithubSettings } from "../components/settings/github-settings.tsx";
import { MembersSettings } from "../components/settings/members-settings.tsx";
import { ProjectsSettings } from "../components/settings/projects-settings.tsx";
import { TeamsSettings } from "../components/settings/teams-settings.tsx";
import { TransferSettings } from "../components/settings/transfer-settings.tsx";
import { WebhooksSettings } from "../components/settings/webhooks-settings.tsx";
import { unwrap } from "../lib/api.ts";
import { useServices } from "../lib/app-context.tsx";
import { useCan, useOrg } from "../lib/org-context.tsx";
import { keys } from "../lib/queries.ts";
import { useLive } from "../lib/use-live.ts";

export const Route = createFileRoute("/o/$slug/settings")({ ssr: false, component: Settings });

function Settings() {
  const org = useOrg();
  const { status, presence } = useLive(org.id, "tasks");
  const manageSettings = useCan("admin.manageSettings");
  const manageTeams = useCan("admin.manageTeams");
  const manageMembers = useCan("admin.manageMembers");
  const manageLabels = useCan("content.manageLabels");
  const manageCategories = useCan("content.manageCategories");
  const administrator = useCan("admin.administrator");
  const manageProjects = useCan("admin.manageProjects");
  if (!org.permissions.some((p) => p.startsWith("admin.") || p.startsWith("content."))) {
    return (
      <>
        <OrgHeader status={status} presence={presence} />
        <main className="p-8">
          <h1 className="text-2xl font-semibold">Settings</h1>
          <p className="mt-2 text-muted-foreground">You do not have access to the settings of this organization.</p>
        </main>
      </>
    );
  }
  return (
    <div className="min-h-screen">
      <OrgHeader status={status} presence={presence} />
      <main className="mx-auto max-w-3xl space-y-10 p-6">
        <h1 className="text-2xl font-semibold">Settings</h1>
        {manageSettings ? <GeneralSettings /> : null}
        {manageProjects ? <ProjectsSettings /> : null}
        {manageTeams ? <TeamsSettings /> : null}
        {manageMembers ? <MembersSettings /> : null}
        {manageLabels || manageCategories ? (
          <TaxonomySettings labels={manageLabels} categories={manageCategories} />
        ) : null}
        {manageSettings ? <GithubSettings /> : null}
        {manageSettings ? <ApiKeysSettings /> : null}
        {manageSettings ? <WebhooksSettings /> : null}
        {administrator ? <TransferSettings /> : null}
      </main>
    </div>
  );
}

function GeneralSettings() {
  const org = useOrg();
  const { api } = useServices();
  const action = useAdminAction();
  const patch = (json: Record<string, unknown>) =>
    action.mutate({
      run: () => unwrap(api.api.orgs[":orgId"].$patch({ param: { orgId: org.id }, json })),
      refresh: [[...keys.me]],
    });
  return (
    <section aria-labelledby="general-heading" className="space-y-4">
      <h2 id="general-heading" className="text-lg font-semibold">
        Organization
      </h2>
      <div className="space-y-1.5">
        <Label htmlFor="org-name-setting">Name</Label>
        <Input
          id="org-name-setting"
          defaultValue={org.name}
          onBlur={(e) => e.target.value !== org.name && patch({ name: e.target.value })}
        />
      </div>
      <div className="flex items-center gap-2 text-sm">
        <Checkbox
          id="public-board"
          checked={org.publicBoard}
          onCheckedChange={(checked) => patch({ publicBoard: checked === true })}
        />
        <Label htmlFor="public-board">
          Public board at <code>/p/{org.slug}</code>
        </Label>
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Fields shown on the public board</legend>
        {PUBLIC_TASK_FIELDS.map((field) => (
          <span key={field} className="mr-4 inline-flex items-center gap-2 text-sm">
            <Checkbox
              id={`public-field-${field}`}
              checked={org.publicFields.includes(field)}
              onCheckedChange={(checked) =>
                patch({
                  publicFields: checked ? [...org.publicFields, field] : org.publicFields.filter((f) => f !== field),
                })
              }
            />
            <Label htmlFor={`public-field-${field}`}>{field}</Label>
          </span>
        ))}
      </fieldset>
    </section>
  );
}

/** Labels or categories: the same list, create and delete over the same API shape. */
function TagManager({ kind }: { kind: "labels" | "categories" }) {
  const org = useOrg();
  const { api } = useServices();
  const routes = api.api.orgs[":orgId"][kind];
  const tags = useQuery({
    queryKey: keys[kind](org.id),
    queryFn: () => unwrap(routes.$get({ param: { orgId: org.id } })),
  });
  const action = useAdminAction();
  const [name, setName] = useState("");
  const noun = kind === "labels" ? "label" : "category";
  const refresh = [[...keys[kind](org.id)]];
  return (
    <div className="space-y-2">
      <h3 className="font-medium capitalize">{kind}</h3>
      <div className="flex flex-wrap gap-2">
        {tags.data?.map((tag) => (
          <span
            key={tag.id}
            className="inline-flex items-center gap-1 rounded-full border border-border px-2 py-0.5 text-sm"
          >
            <span className="size-2 rounded-full" style={{ background: tag.color }} />
            {tag.name}
            <button
              type="button"
              aria-label={`Delete ${noun} ${tag.name}`}
              onClick={() =>
                action.mutate({
                  run: () => unwrap(routes[":id"].$delete({ param: { orgId: org.id, id: tag.id } })),
                  refresh,
                })
              }
            >
              ×
            </button>
          </span>
        ))}
      </div>
      <form
        className="flex gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          action.mutate(
            { run: () => unwrap(routes.$post({ param: { orgId: org.id }, json: { name } })), refresh },
            { onSuccess: () => setName("") },
          );
        }}
      >
        <Input
          aria-label={`New ${noun} name`}
          placeholder={`New ${noun}`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
        />
        <Button type="submit">Add {noun}</Button>
      </form>
    </div>
  );
}

function TaxonomySettings({ labels, categories }: { labels: boolean; categories: boolean }) {
  return (
    <section aria-labelledby="labels-heading" className="space-y-4">
      <h2 id="labels-heading" className="text-lg font-semibold">
        Labels and categories
      </h2>
      {labels ? <TagManager kind="labels" /> : null}
      {categories ? <TagManager kind="categories" /> : null}
    </section>
  );
}
