import { useRouter } from "@tanstack/react-router";
import { useEffect, useState } from "react";

const BASE = "http://tandem.invalid";
const AUTH_PAGES = new Set(["/login", "/signup"]);

/**
 * Where to go after signing in: only a path of this app, with its query and hash. Anything
 * that could leave the site (`//evil.com`, `https://evil.com`, `/\evil.com`, control
 * characters) falls back to `/`: an open redirect would hand a phished user to another site.
 */
export function safeRedirect(value: string | undefined): string {
  // Browsers read a backslash as a slash, and drop tabs and newlines from URLs.
  if (!value?.startsWith("/") || value.startsWith("//") || /[\\\p{Cc}]/u.test(value)) return "/";
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE || AUTH_PAGES.has(url.pathname)) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}

/** Sends a signed-out visitor to sign in, and back to this exact page (path and query) after. */
export function RedirectToLogin() {
  const router = useRouter();
  // The location we were sent to, read once at the first render: React's development mode
  // runs effects twice, and by the second run the location may already be /login itself.
  const [target] = useState(() => router.state.location.href);
  useEffect(() => {
    void router.navigate({ to: "/login", search: { redirect: target }, replace: true });
  }, [router, target]);
  return <p className="p-8 text-muted-foreground">Redirecting to sign in…</p>;
}
