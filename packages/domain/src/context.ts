import { grants, type TPermission } from "@tandem/contracts";
import { type Database, type Executor, lastAppendedSeq, type OrgRow, type Transaction } from "@tandem/database";
import { traced } from "@tandem/opentelemetry";
import { forbidden } from "./errors.ts";
import { withOrgWriteSlot } from "./org-writes.ts";

export type Actor =
  | { type: "user"; userId: string; permissions: ReadonlySet<string> }
  | { type: "github" | "system"; userId: null };

/** Who acts, in which org, on which connection. Built by the HTTP edge or the worker. */
export type Ctx = {
  db: Database;
  org: OrgRow;
  actor: Actor;
  /** The WebSocket client that made the request, recorded on events so its echo is skipped. */
  origin?: string | undefined;
  /**
   * Told the seq of the last event a mutation appended, once it committed: the HTTP edge
   * returns it (`X-Event-Seq`) so the tab whose echo the hub skips can advance its cursor.
   */
  onCommittedSeq?: ((seq: number) => void) | undefined;
};
export type TxCtx = Ctx & { tx: Transaction };

/** The open transaction inside a mutation, the pool otherwise. */
export function executor(ctx: Ctx | TxCtx): Executor {
  return "tx" in ctx ? ctx.tx : ctx.db;
}

export function actorId(ctx: Ctx): string | null {
  return ctx.actor.type === "user" ? ctx.actor.userId : null;
}

export function can(ctx: Ctx, permission: TPermission): boolean {
  return ctx.actor.type !== "user" || grants(ctx.actor.permissions, permission);
}

export function assertPermission(ctx: Ctx, permission: TPermission | null): void {
  if (permission && !can(ctx, permission)) throw forbidden(`Missing permission ${permission}`);
}

/** "deleted": the org itself is gone (its event log with it), not a new event. */
export type CommitChange = "appended" | "deleted";
type CommitListener = (orgId: string, change: CommitChange) => void;
const commitListeners = new Set<CommitListener>();

/**
 * Called after any mutation of an org commits, in this process. The hub uses it to fan out
 * local changes at once instead of waiting for its database notification or poll.
 */
export function onCommitted(listener: CommitListener): () => void {
  commitListeners.add(listener);
  return () => commitListeners.delete(listener);
}

export function notifyCommitted(orgId: string, change: CommitChange = "appended"): void {
  for (const listener of commitListeners) listener(orgId, change);
}

/**
 * A read verb: traced, permission checked first. `null` means membership is enough (the
 * edge only builds a Ctx for members).
 */
export function defineQuery<I, O>(
  name: string,
  permission: TPermission | null,
  fn: (args: { ctx: Ctx; input: I }) => Promise<O>,
) {
  return (args: { ctx: Ctx; input: I }): Promise<O> =>
    traced(
      name,
      async () => {
        assertPermission(args.ctx, permission);
        return fn(args);
      },
      { "tandem.org_id": args.ctx.org.id },
    );
}

/**
 * A write verb: traced, permission checked first, then one transaction that holds the
 * change, its activity row and its event-log row together, in one of the org's write slots.
 */
export function defineMutation<I, O>(
  name: string,
  permission: TPermission | null,
  fn: (args: { ctx: TxCtx; input: I }) => Promise<O>,
) {
  return (args: { ctx: Ctx; input: I }): Promise<O> =>
    traced(
      name,
      async () => {
        assertPermission(args.ctx, permission);
        let seq: number | undefined;
        const result = await withOrgWriteSlot(args.ctx.org.id, () =>
          args.ctx.db.transaction(async (tx) => {
            const out = await fn({ ctx: { ...args.ctx, tx }, input: args.input });
            seq = lastAppendedSeq(tx);
            return out;
          }),
        );
        notifyCommitted(args.ctx.org.id);
        if (seq !== undefined) args.ctx.onCommittedSeq?.(seq);
        return result;
      },
      { "tandem.org_id": args.ctx.org.id },
    );
}
