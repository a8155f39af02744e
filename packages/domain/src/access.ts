import { grants, type TPermission } from "@tandem/contracts";
import { countAdministrators, getOrgAccess, lockOrgForAccessChange } from "@tandem/database";
import { assertPermission, type Ctx, can, defineMutation, type TxCtx } from "./context.ts";
import { conflict, forbidden, notFound } from "./errors.ts";

/**
 * Who may hand out access, in one place. Invites, team creation and edits and team membership
 * all go through here:
 * - nobody grants a permission they do not hold (`admin.administrator` holds them all);
 * - only administrators grant `admin.administrator` or change an administrator team (its
 *   permissions, its members, or remove a member who is an administrator).
 */
export const ADMINISTRATOR: TPermission = "admin.administrator";

export function assertCanGrant(ctx: Ctx, permissions: Iterable<string>): void {
  for (const permission of permissions) {
    if (!can(ctx, permission as TPermission)) {
      throw forbidden(`You cannot grant ${permission}: you do not hold it yourself`);
    }
  }
}

/** The permissions of `wanted` that `held` grants (an API key's, within its creator's). */
export function withinGrants(wanted: Iterable<string>, held: ReadonlySet<string>): Set<string> {
  return new Set([...wanted].filter((permission) => grants(held, permission as TPermission)));
}

/** A change to an administrator team or an administrator's membership: administrators only. */
export function assertCanChangeAdministrators(ctx: Ctx, permissions: Iterable<string>): void {
  for (const permission of permissions) {
    if (permission === ADMINISTRATOR && !can(ctx, ADMINISTRATOR)) {
      throw forbidden("Only an administrator can change who is an administrator");
    }
  }
}

/** An org must never lose its last administrator; checked before the transaction commits. */
export async function assertAdministratorRemains(ctx: TxCtx): Promise<void> {
  if ((await countAdministrators(ctx.tx, { orgId: ctx.org.id })) === 0) {
    throw conflict("The organization must keep at least one administrator");
  }
}

/**
 * Locks the org for an access change and re-reads the actor's permissions from committed
 * state: two admins leaving at once run one after the other, and an actor demoted a moment
 * ago acts with what they hold now, not what the request started with.
 */
export async function lockAccess(ctx: TxCtx): Promise<TxCtx> {
  if (!(await lockOrgForAccessChange(ctx.tx, { orgId: ctx.org.id }))) throw notFound("Organization");
  if (ctx.actor.type !== "user" && ctx.actor.type !== "apiKey") return ctx;
  const access = await getOrgAccess(ctx.tx, { orgId: ctx.org.id, userId: ctx.actor.userId });
  if (!access) throw forbidden("You are no longer a member of this organization");
  // A key holds at most what its creator holds now.
  const permissions =
    ctx.actor.type === "apiKey" ? withinGrants(ctx.actor.permissions, access.permissions) : access.permissions;
  return { ...ctx, actor: { ...ctx.actor, permissions } };
}

/** A mutation of who holds what: `defineMutation` with the org locked and the actor refreshed. */
export function defineAccessMutation<I, O>(
  name: string,
  permission: TPermission,
  fn: (args: { ctx: TxCtx; input: I }) => Promise<O>,
) {
  return defineMutation<I, O>(name, permission, async ({ ctx, input }) => {
    const locked = await lockAccess(ctx);
    assertPermission(locked, permission);
    return fn({ ctx: locked, input });
  });
}
