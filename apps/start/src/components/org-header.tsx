import { AvatarStack } from "@tandem/ui/components/avatar";
import { Button } from "@tandem/ui/components/button";
import { Link } from "@tanstack/react-router";
import { type ComponentType, type ReactNode, Suspense, useEffect, useState } from "react";
import { lazyRetry } from "../lib/lazy-retry.ts";
import type { LiveStatus, Presence } from "../lib/live.ts";
import { useOrg } from "../lib/org-context.tsx";
import { useMe } from "../lib/queries.ts";
import { ConnectionIndicator } from "./connection-indicator.tsx";

// Radix's menus are a third of the board's first JavaScript: they load when a menu is wanted.
const loadMenus = () => import("./header-menus.tsx");
const OrgMenu = lazyRetry(() => loadMenus().then((module) => ({ default: module.OrgMenu })));
// The bell (and the inbox it keeps live) is not needed to paint the board: it loads beside it.
const NotificationBell = lazyRetry(() =>
  import("./notification-bell.tsx").then((module) => ({ default: module.NotificationBell })),
);
const AccountMenu = lazyRetry(() => loadMenus().then((module) => ({ default: module.AccountMenu })));

/**
 * A header menu's button, the same as the menu's own trigger: hovering or focusing it loads the
 * menu, a click opens it (the menu then replaces this button).
 */
function MenuButton(props: {
  menu: ComponentType<{ defaultOpen?: boolean }>;
  children: ReactNode;
  size?: "sm";
  "data-testid"?: string;
}) {
  const [opened, setOpened] = useState(false);
  const { menu: Menu, children, ...rest } = props;
  const button = (
    <Button
      variant="ghost"
      {...rest}
      onPointerEnter={() => void loadMenus()}
      onFocus={() => void loadMenus()}
      onClick={() => setOpened(true)}
    >
      {children}
    </Button>
  );
  if (!opened) return button;
  return (
    <Suspense fallback={button}>
      <Menu defaultOpen />
    </Suspense>
  );
}

/** False until the browser is idle after the first paint: what waits for it never delays the board. */
function useAfterFirstPaint(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (typeof requestIdleCallback === "function") {
      const id = requestIdleCallback(() => setReady(true), { timeout: 1000 });
      return () => cancelIdleCallback(id);
    }
    const timer = setTimeout(() => setReady(true), 200);
    return () => clearTimeout(timer);
  }, []);
  return ready;
}

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
  const viewers = [...new Map(presence.map((p) => [p.user.id, p.user])).values()];
  const isAdmin = org.permissions.some((p) => p.startsWith("admin."));
  const bell = useAfterFirstPaint();
  return (
    <header className="flex flex-wrap items-center gap-3 border-b border-border px-4 py-2">
      <MenuButton menu={OrgMenu} data-testid="org-switcher">
        {org.name}
      </MenuButton>
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
      <Suspense fallback={<span className="size-8" />}>
        {bell ? <NotificationBell /> : <span className="size-8" />}
      </Suspense>
      <Button variant="ghost" size="sm" onClick={toggleTheme} aria-label="Toggle dark mode">
        ◐
      </Button>
      <MenuButton menu={AccountMenu} size="sm">
        {me.data?.user.name ?? "Account"}
      </MenuButton>
    </header>
  );
}
