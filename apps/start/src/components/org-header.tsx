import { AvatarStack } from "@tandem/ui/components/avatar";
import { Button } from "@tandem/ui/components/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@tandem/ui/components/dropdown-menu";
import { useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { useServices } from "../lib/app-context.tsx";
import type { LiveStatus, Presence } from "../lib/live.ts";
import { useOrg } from "../lib/org-context.tsx";
import { useMe } from "../lib/queries.ts";
import { ConnectionIndicator } from "./connection-indicator.tsx";

function toggleTheme() {
  const dark = document.documentElement.classList.toggle("dark");
  localStorage.setItem("tandem-theme", dark ? "dark" : "light");
}

export function OrgHeader({
  status,
  presence,
  children,
}: {
  status: LiveStatus;
  presence: Presence;
  children?: ReactNode;
}) {
  const org = useOrg();
  const me = useMe();
  const { apiUrl } = useServices();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const viewers = [...new Map(presence.map((p) => [p.user.id, p.user])).values()];
  const isAdmin = org.permissions.some((p) => p.startsWith("admin."));
  return (
    <header className="flex flex-wrap items-center gap-3 border-b border-border px-4 py-2">
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" data-testid="org-switcher">
            {org.name}
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start">
          <DropdownMenuLabel>Organizations</DropdownMenuLabel>
          {me.data?.orgs.map((o) => (
            <DropdownMenuItem key={o.id} onSelect={() => navigate({ to: "/o/$slug", params: { slug: o.slug } })}>
              {o.name}
            </DropdownMenuItem>
          ))}
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => navigate({ to: "/new" })}>New organization…</DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <nav className="flex items-center gap-1 text-sm">
        <Link
          to="/o/$slug"
          params={{ slug: org.slug }}
          className="rounded px-2 py-1 hover:bg-muted"
          activeOptions={{ exact: true }}
        >
          Board
        </Link>
        {isAdmin ? (
          <Link to="/o/$slug/settings" params={{ slug: org.slug }} className="rounded px-2 py-1 hover:bg-muted">
            Settings
          </Link>
        ) : null}
      </nav>
      <div className="flex-1">{children}</div>
      <ConnectionIndicator status={status} />
      {/* Room for one avatar before presence arrives, so its arrival does not reflow the page. */}
      <div className="min-w-8">
        <AvatarStack users={viewers} max={5} data-testid="presence" aria-label={`${viewers.length} viewing`} />
      </div>
      <Button variant="ghost" size="sm" onClick={toggleTheme} aria-label="Toggle dark mode">
        ◐
      </Button>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="sm">
            {me.data?.user.name ?? "Account"}
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem
            onSelect={async () => {
              const { makeAuthClient } = await import("../lib/auth-client.ts");
              await makeAuthClient(apiUrl).signOut();
              queryClient.clear();
              await navigate({ to: "/login" });
            }}
          >
            Sign out
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
    </header>
  );
}
