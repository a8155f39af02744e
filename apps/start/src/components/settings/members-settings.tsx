import { grants, type TInvite, type TTeam } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { Checkbox } from "@tandem/ui/components/checkbox";
import { Input } from "@tandem/ui/components/input";
import { Label } from "@tandem/ui/components/label";
import { toast } from "@tandem/ui/components/toaster";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { unwrap } from "../../lib/api.ts";
import { useServices } from "../../lib/app-context.tsx";
import { useOrg } from "../../lib/org-context.tsx";
import { keys, useMembers, useTeams } from "../../lib/queries.ts";
import { ActionButton, useAdminAction } from "./admin-action.tsx";

function inviteUrl(invite: TInvite): string {
  return `${window.location.origin}/invite/${invite.code}`;
}

async function copy(text: string) {
  try {
    await navigator.clipboard.writeText(text);
    toast.success("Invite link copied");
  } catch {
    toast.error("Could not copy: select the link and copy it by hand");
  }
}

/** Pick the teams a new member joins: only teams whose every permission the inviter holds. */
function InviteForm({ teams }: { teams: TTeam[] }) {
  const org = useOrg();
  const { api } = useServices();
  const action = useAdminAction();
  const [teamIds, setTeamIds] = useState<string[]>([]);
  const [email, setEmail] = useState("");
  const held = new Set(org.permissions);
  function create(event: FormEvent) {
    event.preventDefault();
    action.mutate(
      {
        run: () =>
          unwrap(
            api.api.orgs[":orgId"].invites.$post({
              param: { orgId: org.id },
              json: { teamIds, ...(email ? { email } : {}) },
            }),
          ),
        refresh: [[...keys.invites(org.id)]],
      },
      {
        onSuccess: () => {
          setTeamIds([]);
          setEmail("");
        },
      },
    );
  }
  return (
    <form onSubmit={create} aria-labelledby="invite-heading" className="space-y-3 rounded-lg border border-border p-4">
      <h3 id="invite-heading" className="font-medium">
        Invite someone
      </h3>
      <fieldset className="space-y-1">
        <legend className="text-sm">Teams they join</legend>
        {teams.map((team) => {
          const allowed = team.permissions.every((p) => grants(held, p));
          return (
            <span key={team.id} className="flex items-center gap-2 text-sm">
              <Checkbox
                id={`invite-team-${team.id}`}
                checked={teamIds.includes(team.id)}
                disabled={!allowed}
                onCheckedChange={(checked) =>
                  setTeamIds((ids) => (checked ? [...ids, team.id] : ids.filter((id) => id !== team.id)))
                }
              />
              <Label htmlFor={`invite-team-${team.id}`}>{team.name}</Label>
              <span className="text-xs text-muted-foreground">
                {allowed
                  ? team.permissions.join(", ") || "no permissions"
                  : "grants permissions you do not hold: ask an administrator"}
              </span>
            </span>
          );
        })}
        <p className="text-xs text-muted-foreground">
          Without a team, a new member can read the board but not change it.
        </p>
      </fieldset>
      <div className="space-y-1.5">
        <Label htmlFor="invite-email">E-mail (optional)</Label>
        <Input
          id="invite-email"
          type="email"
          placeholder="we e-mail the link; only this address can accept, once verified"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <Button type="submit" variant="outline" disabled={action.isPending}>
        Create invite link
      </Button>
    </form>
  );
}

/** Members (with their teams) and pending invites (with a copy button), for `admin.manageMembers`. */
export function MembersSettings() {
  const org = useOrg();
  const { api } = useServices();
  const members = useMembers(org.id);
  const teams = useTeams(org.id);
  const invites = useQuery({
    queryKey: keys.invites(org.id),
    queryFn: () => unwrap(api.api.orgs[":orgId"].invites.$get({ param: { orgId: org.id } })),
  });
  const refresh = [[...keys.members(org.id)], [...keys.invites(org.id)]];
  const teamNames = (ids: string[]) =>
    ids.map((id) => teams.data?.find((team) => team.id === id)?.name ?? "a deleted team").join(", ");
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
              <span className="block text-xs text-muted-foreground">
                {member.teamIds.length ? teamNames(member.teamIds) : "no team: can only read"}
              </span>
            </span>
            <ActionButton
              label={`Remove ${member.name}`}
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
      <InviteForm teams={teams.data ?? []} />
      <ul className="space-y-2 text-sm" data-testid="invites">
        {invites.data
          ?.filter((invite) => invite.status === "pending")
          .map((invite) => (
            <li key={invite.id} className="flex flex-wrap items-center gap-2" data-testid="invite">
              <code className="truncate" data-testid="invite-link">
                {inviteUrl(invite)}
              </code>
              <span className="text-xs text-muted-foreground">
                {invite.teamIds.length ? `joins ${teamNames(invite.teamIds)}` : "no team"}
                {invite.email ? ` · only ${invite.email}` : ""}
              </span>
              <Button variant="outline" size="sm" onClick={() => void copy(inviteUrl(invite))}>
                Copy link
              </Button>
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
