import { createContext, type ReactNode, useContext, useMemo } from "react";
import { type Api, apiFor } from "./api.ts";

/** Better Auth's client is not here: only the sign-in pages need it (`useAuthClient`). */
type AppServices = { apiUrl: string; api: Api };
const AppContext = createContext<AppServices | null>(null);

export function AppProvider({ apiUrl, children }: { apiUrl: string; children: ReactNode }) {
  const value = useMemo(() => ({ apiUrl, api: apiFor(apiUrl) }), [apiUrl]);
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

export function useServices(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error("useServices outside AppProvider");
  return services;
}
