import { isAdmin, type TEvent, type TEventType } from "@tandem/contracts";
import { type EventVisibility, lastEventSeq, listEvents as listEventRows } from "@tandem/database";
import { defineQuery } from "./context.ts";

/** The event log since `after`, filtered to what the caller may see (catch-up after a gap). */
export const listEvents = defineQuery<{ after: number; limit: number }, { events: TEvent[]; lastSeq: number }>(
  "event.list",
  null,
  async ({ ctx, input }) => {
    const visibilities: EventVisibility[] =
      ctx.actor.type !== "user" || isAdmin(ctx.actor.permissions)
        ? ["public", "members", "admin"]
        : ["public", "members"];
    const [rows, lastSeq] = await Promise.all([
      listEventRows(ctx.db, { orgId: ctx.org.id, after: input.after, limit: input.limit, visibilities }),
      lastEventSeq(ctx.db, { orgId: ctx.org.id }),
    ]);
    return {
      events: rows.map((row) => ({
        orgId: row.orgId,
        seq: row.seq,
        type: row.type as TEventType,
        visibility: row.visibility,
        actorId: row.actorId,
        payload: row.payload,
        createdAt: row.createdAt.toISOString(),
      })),
      lastSeq,
    };
  },
);
