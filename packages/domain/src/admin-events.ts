import type { TEventType, TEventVisibility } from "@tandem/contracts";
import { appendEvent, countAdministrators } from "@tandem/database";
import { actorId, type TxCtx } from "./context.ts";
import { conflict } from "./errors.ts";

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

/** An org must never lose its last administrator; checked before the transaction commits. */
export async function assertAdministratorRemains(ctx: TxCtx): Promise<void> {
  if ((await countAdministrators(ctx.tx, { orgId: ctx.org.id })) === 0) {
    throw conflict("The organization must keep at least one administrator");
  }
}
