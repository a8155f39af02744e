import { PERMISSIONS, PUBLIC_TASK_FIELDS, type TPermission, type TTeam } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { Checkbox } from "@tandem/ui/components/checkbox";
import { Input } from "@tandem/ui/components/input";
import { Label } from "@tandem/ui/components/label";
import { toast } from "@tandem/ui/components/toaster";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { type FormEvent, type ReactNode, useState } from "react";
import { OrgHeader } from "../components/org-header.tsx";
import { unwrap } from "../lib/api.ts";
import { useServices } from "../lib/app-context.tsx";
import { useCan, useOrg } from "../lib/org-context.tsx";
import { keys, useMembers, useTeams } from "../lib/queries.ts";
import { useLive } from "../lib/use-live.ts";

export const Route = createFileRoute("/o/$slug/settings")({ ssr: false, component: Settings });

/** Runs an API call, refreshes what it touched, and reports failures. */
function useAdminAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ run }: { run: () => Promise<unknown>; refresh: readonly unknown[][] }) => run(),
    onSuccess: (_data, { refresh }) => {
      for (const queryKey of refresh) void queryClient.invalidateQueries({ queryKey });
    },
    onError: (error) => toast.error(error.message),
  });
}

/** A button that runs one admin API call and refreshes what it touched. */
function ActionButton(props: {
  children: ReactNode;
  run: () => Promise<unknown>;
  refresh: readonly unknown[][];
  variant?: "ghost" | "outline";
  label?: string;
}) {
  const action = useAdminAction();
  return (
    <Button
      variant={props.variant ?? "ghost"}
      size="sm"
      aria-label={props.label}
      onClick={() => action.mutate({ run: props.run, refresh: props.refresh })}
    >
      {props.children}
    </Button>
  );
}

function Settings() {
  const org = useOrg();
  const { status, presence } = useLive(org.id, "tasks");
  const manageSettings = useCan("admin.manageSettings");
  const manageTeams = useCan("admin.manageTeams");
  const manageMembers = useCan("admin.manageMembers");
  const manageLabels = useCan("content.manageLabels");
  const manageCategories = useCan("content.manageCategories");
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
        {manageTeams ? <TeamsSettings /> : null}
        {manageMembers ? <MembersSettings /> : null}
        {manageLabels || manageCategories ? (
          <TaxonomySettings labels={manageLabels} categories={manageCategories} />
        ) : null}
        {manageSettings ? <GithubSettings /> : null}
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

function TeamEditor({ team }: { team: TTeam }) {
  const org = useOrg();
  const { api } = useServices();
  const members = useMembers(org.id);
  const action = useAdminAction();
  const teamApi = api.api.orgs[":orgId"].teams[":teamId"];
  const refresh = [[...keys.teams(org.id)], [...keys.members(org.id)], [...keys.me]];
  const setPermissions = (permissions: TPermission[]) =>
    action.mutate({
      run: () => unwrap(teamApi.$patch({ param: { orgId: org.id, teamId: team.id }, json: { permissions } })),
      refresh,
    });
  const outside = members.data?.filter((m) => !team.memberIds.includes(m.userId)) ?? [];
  return (
    <div className="rounded-lg border border-border p-4" data-testid="team-editor" data-team={team.name}>
      <div className="flex items-center justify-between">
        <h3 className="font-medium">{team.name}</h3>
        <Button
          variant="ghost"
          size="sm"
          onClick={() =>
            action.mutate({
              run: () => unwrap(teamApi.$delete({ param: { orgId: org.id, teamId: team.id } })),
              refresh,
            })
          }
        >
          Delete team
        </Button>
      </div>
      <div className="mt-3 grid gap-3 sm:grid-cols-3">
        {Object.entries(PERMISSIONS).map(([category, names]) => (
          <fieldset key={category} className="space-y-1">
            <legend className="text-xs font-semibold uppercase text-muted-foreground">{category}</legend>
            {names.map((name) => {
              const permission = `${category}.${name}` as TPermission;
              const on = team.permissions.includes(permission);
              return (
                <span key={permission} className="flex items-center gap-2 text-sm">
                  <Checkbox
                    id={`${team.id}-${permission}`}
                    aria-label={`${team.name} ${permission}`}
                    checked={on}
                    onCheckedChange={(checked) =>
                      setPermissions(
                        checked ? [...team.permissions, permission] : team.permissions.filter((p) => p !== permission),
                      )
                    }
                  />
                  <Label htmlFor={`${team.id}-${permission}`}>{name}</Label>
                </span>
              );
            })}
          </fieldset>
        ))}
      </div>
      <div className="mt-3 flex flex-wrap items-center gap-2 text-sm">
        {team.memberIds.map((userId) => {
          const member = members.data?.find((m) => m.userId === userId);
          return (
            <span key={userId} className="inline-flex items-center gap-1 rounded-full border border-border px-2 py-0.5">
              {member?.name ?? userId}
              <button
                type="button"
                aria-label={`Remove ${member?.name ?? userId} from ${team.name}`}
                onClick={() =>
                  action.mutate({
                    run: () =>
                      unwrap(teamApi.members[":userId"].$delete({ param: { orgId: org.id, teamId: team.id, userId } })),
                    refresh,
                  })
                }
              >
                ×
              </button>
            </span>
          );
        })}
        {outside.length ? (
          <select
            aria-label={`Add a member to ${team.name}`}
            className="h-8 rounded-md border border-border bg-background px-2"
            value=""
            onChange={(e) => {
              // Read now: the controlled select resets to "" before the mutation runs.
              const userId = e.target.value;
              if (!userId) return;
              action.mutate({
                run: () =>
                  unwrap(teamApi.members[":userId"].$put({ param: { orgId: org.id, teamId: team.id, userId } })),
                refresh,
              });
            }}
          >
            <option value="">Add member…</option>
            {outside.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.name}
              </option>
            ))}
          </select>
        ) : null}
      </div>
    </div>
  );
}

function TeamsSettings() {
  const org = useOrg();
  const { api } = useServices();
  const teams = useTeams(org.id);
  const action = useAdminAction();
  const [name, setName] = useState("");
  function create(event: FormEvent) {
    event.preventDefault();
    action.mutate(
      {
        run: () =>
          unwrap(api.api.orgs[":orgId"].teams.$post({ param: { orgId: org.id }, json: { name, permissions: [] } })),
        refresh: [[...keys.teams(org.id)]],
      },
      { onSuccess: () => setName("") },
    );
  }
  return (
    <section aria-labelledby="teams-heading" className="space-y-4">
      <h2 id="teams-heading" className="text-lg font-semibold">
        Teams and permissions
      </h2>
      {teams.data?.map((team) => (
        <TeamEditor key={team.id} team={team} />
      ))}
      <form onSubmit={create} className="flex gap-2">
        <Input
          aria-label="New team name"
          placeholder="New team name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
        />
        <Button type="submit">Create team</Button>
      </form>
    </section>
  );
}

function MembersSettings() {
  const org = useOrg();
  const { api } = useServices();
  const members = useMembers(org.id);
  const invites = useQuery({
    queryKey: keys.invites(org.id),
    queryFn: () => unwrap(api.api.orgs[":orgId"].invites.$get({ param: { orgId: org.id } })),
  });
  const refresh = [[...keys.members(org.id)], [...keys.invites(org.id)]];
  return (
    <section aria-labelledby="members-heading" className="space-y-4">
      <h2 id="members-heading" className="text-lg font-semibold">
        Members and invites
      </h2>
      <ul className="divide-y divide-border rounded-lg border border-border">
        {members.data?.map((member) => (
          <li key={member.userId} className="flex items-center justify-between p-3 text-sm">
            <span>
              {member.name} <span className="text-muted-foreground">{member.email}</span>
            </span>
            <ActionButton
              run={() =>
                unwrap(
                  api.api.orgs[":orgId"].members[":userId"].$delete({
                    param: { orgId: org.id, userId: member.userId },
                  }),
                )
              }
              refresh={refresh}
            >
              Remove
            </ActionButton>
          </li>
        ))}
      </ul>
      <ActionButton
        variant="outline"
        run={() => unwrap(api.api.orgs[":orgId"].invites.$post({ param: { orgId: org.id }, json: {} }))}
        refresh={refresh}
      >
        Create invite link
      </ActionButton>
      <ul className="space-y-1 text-sm" data-testid="invites">
        {invites.data
          ?.filter((invite) => invite.status === "pending")
          .map((invite) => (
            <li key={invite.id} className="flex items-center gap-2">
              <code
                className="truncate"
                data-testid="invite-link"
              >{`${window.location.origin}/invite/${invite.code}`}</code>
              <ActionButton
                run={() =>
                  unwrap(
                    api.api.orgs[":orgId"].invites[":inviteId"].$delete({
                      param: { orgId: org.id, inviteId: invite.id },
                    }),
                  )
                }
                refresh={refresh}
              >
                Revoke
              </ActionButton>
            </li>
          ))}
      </ul>
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

/** Linked GitHub repositories: link (with an optional token), resync now, unlink, dead deliveries. */
function GithubSettings() {
  const org = useOrg();
  const { api } = useServices();
  const github = api.api.orgs[":orgId"].github;
  const repos = useQuery({
    queryKey: ["github-repos", org.id],
    queryFn: () => unwrap(github.repos.$get({ param: { orgId: org.id } })),
  });
  const dead = useQuery({
    queryKey: ["github-dead", org.id],
    queryFn: () => unwrap(github.deliveries.$get({ param: { orgId: org.id }, query: { status: "dead" } })),
  });
  const action = useAdminAction();
  const [fullName, setFullName] = useState("");
  const [token, setToken] = useState("");
  const refresh = [["github-repos", org.id]];
  return (
    <section aria-labelledby="github-heading" className="space-y-4">
      <h2 id="github-heading" className="text-lg font-semibold">
        GitHub
      </h2>
      <ul className="divide-y divide-border rounded-lg border border-border">
        {repos.data?.map((repo) => (
          <li key={repo.id} className="flex items-center justify-between gap-2 p-3 text-sm">
            <span>
              {repo.fullName}{" "}
              <span className="text-muted-foreground">
                {repo.hasToken ? "two-way" : "read-only"}
                {repo.lastSyncedAt ? ` · synced ${new Date(repo.lastSyncedAt).toLocaleString()}` : ""}
              </span>
            </span>
            <span className="flex gap-1">
              <ActionButton
                run={() => unwrap(github.repos[":repoId"].resync.$post({ param: { orgId: org.id, repoId: repo.id } }))}
                refresh={refresh}
              >
                Resync now
              </ActionButton>
              <ActionButton
                run={() => unwrap(github.repos[":repoId"].$delete({ param: { orgId: org.id, repoId: repo.id } }))}
                refresh={refresh}
              >
                Unlink
              </ActionButton>
            </span>
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
                  github.repos.$post({ param: { orgId: org.id }, json: { fullName, ...(token ? { token } : {}) } }),
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
          placeholder="token for two-way sync"
          type="password"
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
        <Button type="submit">Link repository</Button>
      </form>
      {dead.data?.length ? (
        <p className="text-sm text-destructive" data-testid="dead-deliveries">
          {dead.data.length} webhook deliveries failed after all retries (latest: {dead.data[0]?.event}{" "}
          {dead.data[0]?.action ?? ""}).
        </p>
      ) : null}
    </section>
  );
}
