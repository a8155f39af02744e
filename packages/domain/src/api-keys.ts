import { createHash, randomBytes } from "node:crypto";
import { API_KEY_PREFIX, type TApiKey, type TCreateApiKeyInput, type TCreatedApiKey } from "@tandem/contracts";
import {
  type Database,
  getMemberOrg,
  insertApiKey,
  type ListedApiKey,
  listApiKeys as listApiKeyRows,
  type MemberOrg,
  revokeApiKeyRow,
  systemFindActiveApiKey,
  systemTouchApiKey,
} from "@tandem/database";
import { newId } from "@tandem/util";
import { assertCanGrant, defineAccessMutation, withinGrants } from "./access.ts";
import { type Actor, actorId, defineQuery } from "./context.ts";
import { notFound } from "./errors.ts";
import { recordEvent } from "./record-event.ts";

const PERMISSION = "admin.manageSettings";
/** Characters of the key kept visible in the list (`tdm_` and 8 more). */
const VISIBLE = API_KEY_PREFIX.length + 8;
const TOUCH_EVERY_MS = 60_000;

const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");
const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toApiKeyDto(row: ListedApiKey): TApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    permissions: row.permissions as TApiKey["permissions"],
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    expiresAt: iso(row.expiresAt),
    lastUsedAt: iso(row.lastUsedAt),
    revokedAt: iso(row.revokedAt),
  };
}

export const listApiKeys = defineQuery<void, TApiKey[]>("apiKey.list", PERMISSION, async ({ ctx }) =>
  (await listApiKeyRows(ctx.db, { orgId: ctx.org.id })).map(toApiKeyDto),
);

/** Creates a key with at most the creator's own permissions; the key is in this answer only. */
export const createApiKey = defineAccessMutation<TCreateApiKeyInput, TCreatedApiKey>(
  "apiKey.create",
  PERMISSION,
  async ({ ctx, input }) => {
    const permissions = [...new Set(input.permissions)];
    assertCanGrant(ctx, permissions);
    const key = `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
    const row = await insertApiKey(ctx.tx, {
      id: newId("key"),
      orgId: ctx.org.id,
      name: input.name,
      keyHash: hashKey(key),
      prefix: key.slice(0, VISIBLE),
      permissions,
      createdBy: actorId(ctx),
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
    });
    const apiKey = toApiKeyDto(row);
    await recordEvent(ctx, { type: "CREATE_API_KEY", payload: { apiKey } });
    return { apiKey, key };
  },
);

/** Revokes a key at once: the next request with it is refused, and the hub closes its sockets. */
export const revokeApiKey = defineAccessMutation<{ keyId: string }, TApiKey>(
  "apiKey.revoke",
  PERMISSION,
  async ({ ctx, input }) => {
    const row = await revokeApiKeyRow(ctx.tx, { orgId: ctx.org.id, keyId: input.keyId });
    if (!row) throw notFound("API key");
    const apiKey = toApiKeyDto(row);
    await recordEvent(ctx, { type: "DELETE_API_KEY", payload: { apiKey } });
    return apiKey;
  },
);

export type ApiKeyAccess = MemberOrg & { actor: Extract<Actor, { type: "apiKey" }> };

/**
 * What a Bearer key may do, or null when it is unknown, revoked, expired, or its creator has
 * left the org. The key resolves its own org; it holds its permissions only as far as its
 * creator still holds them. Its use is recorded at most once a minute.
 */
export async function resolveApiKey(db: Database, key: string): Promise<ApiKeyAccess | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
  const row = await systemFindActiveApiKey(db, { keyHash: hashKey(key) });
  if (!row?.createdBy) return null;
  const found = await getMemberOrg(db, { orgId: row.orgId, userId: row.createdBy });
  if (!found) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
    await systemTouchApiKey(db, { keyId: row.id });
  }
  return {
    ...found,
    actor: {
      type: "apiKey",
      key: { id: row.id, name: row.name },
      userId: row.createdBy,
      permissions: withinGrants(row.permissions, found.access.permissions),
    },
  };
}
