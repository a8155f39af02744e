import { grants, type TPermission } from "@tandem/contracts";
import { type Database, type Executor, lastAppendedSeq, type OrgRow, type Transaction } from "@tandem/database";
import { traced } from "@tandem/opentelemetry";
import { forbidden } from "./errors.ts";
import { withOrgWriteSlot } from "./org-writes.ts";
import type { Services } from "./services.ts";

export type Actor =
  | { type: "user"; userId: string; permissions: ReadonlySet<string> }
  /** An API key: its own permission set (within its creator's), acting on its creator's behalf. */
  | {
      type: "apiKey";
      key: { id: string; name: string };
      /** The key's creator, recorded as the actor next to the key. */
      userId: string;
      permissions: ReadonlySet<string>;
    }
  | { type: "github" | "system"; userId: null };

/** "deleted": the org itself is gone (its event log with it), not a new event. */
export type CommitChange = "appended" | "deleted";
/**
 * Told after a write of an org commits (with the seq of the last event it appended), in this
 * process: the backend wakes its hub (local
 * changes fan out at once instead of waiting for NOTIFY or the poll) and forgets cached
 * public boards. Passed in by whoever builds the Ctx; `ignoreCommits` where nobody listens.
 */
export type CommitNotifier = (orgId: string, change: CommitChange, seq?: number) => void;
export const ignoreCommits: CommitNotifier = () => {};

/**
 * Every verb has one signature, `({ ctx, input })`: `ctx` says who acts and with what
 * (database, commit notifier, `services`, the infrastructure built once at the edge), `input`
 * only what the caller asked for. Three contexts, by what the caller has proved:
 * - `Ctx`: a member (or the GitHub sync, or the system) acting in one org — nearly every verb;
 * - `UserCtx`: a signed-in user before any org is involved (creating an org, `getMe`,
 *   accepting an invite: the org comes from the verb's own checks, never from the caller);
 * - `PublicCtx`: an anonymous visitor of a published board (the org comes from its slug).
 */
export type BaseCtx = {
  db: Database;
  notify: CommitNotifier;
  services: Services;
};

/** A signed-in user acting outside any org they are already in. */
export type UserCtx = BaseCtx & { userId: string };

/** An anonymous visitor: nothing proved but the board's public address. */
export type PublicCtx = BaseCtx;

/** Who acts, in which org, on which connection. Built by the HTTP edge or the worker. */
export type Ctx = BaseCtx & {
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
/** The GitHub sync's context in an org (the worker's): the GitHub actor, no user. */
export function githubCtx(base: BaseCtx, org: OrgRow): Ctx {
  return { ...base, org, actor: { type: "github", userId: null } };
}

/** An open transaction, and a way to act once it has committed (never if it rolls back). */
export type OpenTx = { tx: Transaction; afterCommit: (hook: () => void) => void };
export type TxCtx = Ctx & OpenTx;

/** What opening a transaction needs; a Ctx has it, and so does org creation before its org exists. */
export type TxScope = Pick<Ctx, "db" | "notify" | "onCommittedSeq"> & { org: { id: string } } & Partial<OpenTx>;

function isOpen<C extends TxScope>(ctx: C): ctx is C & OpenTx {
  return ctx.tx !== undefined && ctx.afterCommit !== undefined;
}

/**
 * The one commit path. Runs `fn` in the caller's transaction when it has one; otherwise opens
 * one, in one of the org's write slots, and once it commits runs the `afterCommit` hooks,
 * tells the notifier, and reports the seq of the last event it appended.
 */
export async function withTransaction<C extends TxScope, T>(ctx: C, fn: (ctx: C & OpenTx) => Promise<T>): Promise<T> {
  if (isOpen(ctx)) return fn(ctx);
  const hooks: (() => void)[] = [];
  let seq: number | undefined;
  const result = await withOrgWriteSlot(ctx.org.id, () =>
    ctx.db.transaction(async (tx) => {
      const out = await fn({ ...ctx, tx, afterCommit: (hook) => hooks.push(hook) });
      seq = lastAppendedSeq(tx);
      return out;
    }),
  );
  if (seq !== undefined) ctx.notify(ctx.org.id, "appended", seq);
  for (const hook of hooks) hook();
  if (seq !== undefined) ctx.onCommittedSeq?.(seq);
  return result;
}

/** The open transaction inside a mutation, the pool otherwise. */
export function executor(ctx: Ctx | TxCtx): Executor {
  return "tx" in ctx ? ctx.tx : ctx.db;
}

/** The user behind the change: the member, or the creator of the API key that acted. */
export function actorId(ctx: Ctx): string | null {
  return ctx.actor.userId;
}

/** The API key that acted, for activity and events; null for anyone else. */
export function actorKey(ctx: Ctx): { id: string; name: string } | null {
  return ctx.actor.type === "apiKey" ? ctx.actor.key : null;
}

/**
 * Members and API keys hold what their permission set grants; only the GitHub sync and the
 * system (the worker, never reachable from a request) act unchecked.
 */
export function can(ctx: Ctx, permission: TPermission): boolean {
  switch (ctx.actor.type) {
    case "user":
    case "apiKey":
      return grants(ctx.actor.permissions, permission);
    case "github":
    case "system":
      return true;
    default:
      return ctx.actor satisfies never;
  }
}

export function assertPermission(ctx: Ctx, permission: TPermission | null): void {
  if (permission && !can(ctx, permission)) throw forbidden(`Missing permission ${permission}`);
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
 * A write verb: traced, permission checked first, then one transaction (`withTransaction`,
 * the caller's when it has one) that holds the change, its activity row and its event row.
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
        return withTransaction(args.ctx, (ctx) => fn({ ctx, input: args.input }));
      },
      { "tandem.org_id": args.ctx.org.id },
    );
}
