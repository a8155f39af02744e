import type { TEventInput, TEventType, TEventVisibility } from "@tandem/contracts";
import { bigint, index, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { organization } from "./orgs.ts";

/**
 * The event log (SPEC §7): one row per committed mutation, `seq` gapless per org. Written in
 * the mutating transaction; hub instances tail it to fan out over WebSockets.
 */
export const event = pgTable(
  "event",
  {
    orgId: text("org_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    seq: bigint("seq", { mode: "number" }).notNull(),
    type: text("type").$type<TEventType>().notNull(),
    visibility: text("visibility").$type<TEventVisibility>().notNull(),
    actorId: text("actor_id"),
    /** The API key that made the change (`actorId` is then its creator). */
    actorKey: jsonb("actor_key").$type<{ id: string; name: string }>(),
    /** The WebSocket client whose request made the change, so the hub can skip its echo. */
    origin: text("origin"),
    payload: jsonb("payload").$type<TEventInput["payload"]>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.seq] }), index("event_created_idx").on(t.createdAt)],
);

/** How far a consumer of the event log (the worker's outbound sync) has read, per org. */
export const eventCursor = pgTable(
  "event_cursor",
  {
    consumer: text("consumer").notNull(),
    orgId: text("org_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    lastSeq: bigint("last_seq", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.consumer, t.orgId] })],
);
