import { and, desc, eq, isNull } from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import { apiKey } from "../schema/index.ts";

export type ApiKeyRow = typeof apiKey.$inferSelect;
/** What lists and lookups read: everything but the hash. */
export const apiKeyColumns = {
  id: apiKey.id,
  orgId: apiKey.orgId,
  name: apiKey.name,
  prefix: apiKey.prefix,
  permissions: apiKey.permissions,
  createdBy: apiKey.createdBy,
  createdAt: apiKey.createdAt,
  expiresAt: apiKey.expiresAt,
  lastUsedAt: apiKey.lastUsedAt,
  revokedAt: apiKey.revokedAt,
};
export type ListedApiKey = Omit<ApiKeyRow, "keyHash">;

export async function insertApiKey(tx: Transaction, values: typeof apiKey.$inferInsert): Promise<ListedApiKey> {
  const [row] = await tx.insert(apiKey).values(values).returning(apiKeyColumns);
  if (!row) throw new Error("api_key insert returned nothing");
  return row;
}

export function listApiKeys(db: Executor, { orgId }: { orgId: string }): Promise<ListedApiKey[]> {
  return db.select(apiKeyColumns).from(apiKey).where(eq(apiKey.orgId, orgId)).orderBy(desc(apiKey.createdAt));
}

/** Marks a key revoked; null when the org has no such key or it was already revoked. */
export async function revokeApiKeyRow(
  tx: Transaction,
  { orgId, keyId }: { orgId: string; keyId: string },
): Promise<ListedApiKey | null> {
  const [row] = await tx
    .update(apiKey)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKey.orgId, orgId), eq(apiKey.id, keyId), isNull(apiKey.revokedAt)))
    .returning(apiKeyColumns);
  return row ?? null;
}
