import { hc } from "hono/client";
import type { AppType } from "./app.ts";

/** The typed API client used by the UI and the tests: paths and bodies checked at compile time. */
export function createApiClient(baseUrl: string, init?: Parameters<typeof hc>[1]) {
  return hc<AppType>(baseUrl, init);
}
export type ApiClient = ReturnType<typeof createApiClient>;
