import { index, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { user } from "./auth.ts";
import { organization } from "./orgs.ts";

/**
 * An org's API keys (SPEC §15). The key itself is never stored: only its SHA-256 (looked up on
 * every Bearer request) and a short visible prefix to tell keys apart in the list. Revoked keys
 * stay, so activity recorded by them keeps its actor.
 */
export const apiKey = pgTable(
  "api_key",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** Hex SHA-256 of the whole key. */
    keyHash: text("key_hash").notNull(),
    /** The first characters of the key (`tdm_ab12cd`), shown in the list. */
    prefix: text("prefix").notNull(),
    permissions: jsonb("permissions").$type<string[]>().notNull(),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    /** Written at most once a minute per key. */
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("api_key_hash_uq").on(t.keyHash), index("api_key_org_idx").on(t.orgId, t.createdAt)],
);
