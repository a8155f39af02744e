import { eventVisibility, type TEventInput } from "@tandem/contracts";
import { appendEvent, type NewEvent } from "@tandem/database";
import { actorId, actorKey, type Ctx, type TxCtx } from "./context.ts";

/**
 * The log row for an event: who made it, from which socket, and who may see it (the
 * catalogue's rule; `wasPublic` keeps a task that leaves the public board visible there).
 */
export function toNewEvent(ctx: Ctx, event: TEventInput, wasPublic = false): NewEvent {
  return {
    ...event,
    orgId: ctx.org.id,
    visibility: eventVisibility(event, wasPublic),
    actorId: actorId(ctx),
    actorKey: actorKey(ctx),
    origin: ctx.origin,
  };
}

/**
 * Appends an event (org, team, member, label…) in the caller's transaction. `event` is a
 * union on `type`: a payload that does not match its type's catalogue entry does not compile.
 */
export function recordEvent(ctx: TxCtx, event: TEventInput): Promise<number> {
  return appendEvent(ctx.tx, toNewEvent(ctx, event));
}
