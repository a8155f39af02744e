import { grants, PERMISSIONS, type TPermission, type TTeam } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { Checkbox } from "@tandem/ui/components/checkbox";
import { Input } from "@tandem/ui/components/input";
import { Label } from "@tandem/ui/components/label";
import { type FormEvent, useState } from "react";
import { unwrap } from "../../lib/api.ts";
import { useServices } from "../../lib/app-context.tsx";
import { useOrg } from "../../lib/org-context.tsx";
import { keys, useMembers, useTeams } from "../../lib/queries.ts";
import { useAdminAction } from "./admin-action.tsx";

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
  const held = new Set(org.permissions);
  // The API's rule, mirrored so the page only offers what will work: nobody grants what they
  // do not hold, and only administrators touch an administrator team.
  const locked = team.permissions.includes("admin.administrator") && !grants(held, "admin.administrator");
  const canAddMembers = !locked && team.permissions.every((p) => grants(held, p));
  const why = locked
    ? "Only an administrator can change an administrator team"
    : "You can only add people to teams whose permissions you hold";
  return (
    <div className="rounded-lg border border-border p-4" data-testid="team-editor" data-team={team.name}>
      <div className="flex items-center justify-between">
        <h3 className="font-medium">{team.name}</h3>
        <Button
          variant="ghost"
          size="sm"
          disabled={locked}
          title={locked ? why : undefined}
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
                    disabled={locked || (!on && !grants(held, permission))}
                    title={!on && !grants(held, permission) ? `You need ${permission} to grant it` : undefined}
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
                disabled={locked}
                title={locked ? why : undefined}
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
        {outside.length && canAddMembers ? (
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
        ) : outside.length ? (
          <span className="text-xs text-muted-foreground">{why}.</span>
        ) : null}
      </div>
    </div>
  );
}

export function TeamsSettings() {
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
