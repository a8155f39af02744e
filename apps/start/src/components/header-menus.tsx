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
import { useNavigate } from "@tanstack/react-router";
import { useServices } from "../lib/app-context.tsx";
import { useOrg } from "../lib/org-context.tsx";
import { useMe } from "../lib/queries.ts";

/** The header's menus (Radix), loaded when first opened: see `MenuButton` in org-header.tsx. */
export function OrgMenu({ defaultOpen }: { defaultOpen?: boolean }) {
  const org = useOrg();
  const me = useMe();
  const navigate = useNavigate();
  return (
    <DropdownMenu defaultOpen={defaultOpen}>
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
  );
}

export function AccountMenu({ defaultOpen }: { defaultOpen?: boolean }) {
  const me = useMe();
  const { apiUrl } = useServices();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  return (
    <DropdownMenu defaultOpen={defaultOpen}>
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
  );
}
