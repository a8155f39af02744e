import { type TEvent, visibleTo } from "@tandem/contracts";
import { lastEventSeq, listEvents as listEventRows } from "@tandem/database";
import { defineQuery } from "./context.ts";

/** The event log since `after`, filtered to what the caller may see (catch-up after a gap). */
export const listEvents = defineQuery<{ after: number; limit: number }, { events: TEvent[]; lastSeq: number }>(
  "event.list",
  null,
  async ({ ctx, input }) => {
    // Members and keys see by their permissions; only the worker's actors see everything.
    const visibilities = visibleTo("permissions" in ctx.actor ? ctx.actor.permissions : null);
    const [rows, lastSeq] = await Promise.all([
      listEventRows(ctx.db, { orgId: ctx.org.id, after: input.after, limit: input.limit, visibilities }),
      lastEventSeq(ctx.db, { orgId: ctx.org.id }),
    ]);
    return {
      events: rows.map(({ origin, createdAt, ...event }) => ({ ...event, createdAt: createdAt.toISOString() })),
      lastSeq,
    };
  },
);
