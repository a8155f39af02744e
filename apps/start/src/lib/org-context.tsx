import { grants, type TOrg, type TPermission } from "@tandem/contracts";
import { createContext, useContext } from "react";

export type CurrentOrg = TOrg & { permissions: TPermission[] };
export const OrgContext = createContext<CurrentOrg | null>(null);

export function useOrg(): CurrentOrg {
  const org = useContext(OrgContext);
  if (!org) throw new Error("useOrg outside an org route");
  return org;
}

export function useCan(permission: TPermission): boolean {
  return grants(new Set(useOrg().permissions), permission);
}
