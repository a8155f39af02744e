import { createAuthClient } from "better-auth/react";

export function makeAuthClient(apiUrl: string) {
  return createAuthClient({ baseURL: apiUrl, basePath: "/api/auth", fetchOptions: { credentials: "include" } });
}
export type AuthClient = ReturnType<typeof makeAuthClient>;
