import type { QueryClient } from "@tanstack/react-query";
import { useQueryClient } from "@tanstack/react-query";

/**
 * Why an open org left this tab. The hub says so when it drops the sockets of a deleted org
 * (UNSUBSCRIBED with reason `org_deleted`); without that word the member was removed.
 */
const deletedKey = (orgId: string) => ["org-deleted", orgId] as const;

export function markOrgDeleted(queryClient: QueryClient, orgId: string): void {
  queryClient.setQueryData(deletedKey(orgId), true);
}

export function useOrgDeleted(orgId: string | undefined): boolean {
  const queryClient = useQueryClient();
  return orgId ? queryClient.getQueryData<boolean>(deletedKey(orgId)) === true : false;
}
