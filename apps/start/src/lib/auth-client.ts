import { createAuthClient } from "better-auth/react";

export function makeAuthClient(apiUrl: string) {
  return createAuthClient({ baseURL: apiUrl, basePath: "/api/auth", fetchOptions: { credentials: "include" } });
}
export type AuthClient = ReturnType<typeof makeAuthClient>;

/** The API sends auth errors in its error shape, `{ error: { code, message } }`. */
export function authErrorMessage(error: { message?: string; error?: unknown } | null, fallback: string): string {
  const inner = error?.error;
  if (inner && typeof inner === "object" && "message" in inner && typeof inner.message === "string")
    return inner.message;
  return error?.message || fallback;
}
