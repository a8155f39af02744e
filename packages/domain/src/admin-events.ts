import type { TEventType, TEventVisibility } from "@tandem/contracts";
import { appendEvent } from "@tandem/database";
import { actorId, type TxCtx } from "./context.ts";

/** Appends a non-task event (org, team, member, label…) in the caller's transaction. */
export function recordEvent(
  ctx: TxCtx,
  type: TEventType,
  visibility: TEventVisibility,
  payload: Record<string, unknown>,
): Promise<number> {
  return appendEvent(ctx.tx, {
    orgId: ctx.org.id,
    type,
    visibility,
    actorId: actorId(ctx),
    payload,
    origin: ctx.origin,
  });
}
