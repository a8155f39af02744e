import { createAuthClient } from "better-auth/react";
import { useMemo } from "react";
import { useServices } from "./app-context.tsx";

export function makeAuthClient(apiUrl: string) {
  return createAuthClient({ baseURL: apiUrl, basePath: "/api/auth", fetchOptions: { credentials: "include" } });
}
export type AuthClient = ReturnType<typeof makeAuthClient>;

/**
 * The client for the pages that sign in or up. Not part of the app's shared services: it would
 * put Better Auth in every page's first JavaScript (the board only signs out, and loads this
 * module when it does).
 */
export function useAuthClient(): AuthClient {
  const { apiUrl } = useServices();
  return useMemo(() => makeAuthClient(apiUrl), [apiUrl]);
}

/** The API sends auth errors in its error shape, `{ error: { code, message } }`. */
export function authErrorMessage(error: { message?: string; error?: unknown } | null, fallback: string): string {
  const inner = error?.error;
  if (inner && typeof inner === "object" && "message" in inner && typeof inner.message === "string")
    return inner.message;
  return error?.message || fallback;
}
