/**
 * Checked by `tsc` (the package's typecheck), never run: every query outside `queries/system.ts`
 * takes the caller's `orgId`, required by its type (directly, or on the row it inserts). A new
 * query without one fails `bun run check` here, naming it; a deliberate cross-tenant query
 * belongs in `system.ts` with a `system` name.
 */
import type * as access from "../src/queries/access.ts";
import type * as apiKeys from "../src/queries/api-keys.ts";
import type * as attachments from "../src/queries/attachments.ts";
import type * as comments from "../src/queries/comments.ts";
import type * as events from "../src/queries/events.ts";
import type * as github from "../src/queries/github.ts";
import type * as invites from "../src/queries/invites.ts";
import type * as members from "../src/queries/members.ts";
import type * as orgs from "../src/queries/orgs.ts";
import type * as projects from "../src/queries/projects.ts";
import type * as system from "../src/queries/system.ts";
import type * as tags from "../src/queries/tags.ts";
import type * as tasks from "../src/queries/tasks.ts";
import type * as teams from "../src/queries/teams.ts";

/** `orgId` on the params, or on a row they carry (`values`, `task`). */
type Scoped<P> = P extends { orgId: string }
  ? true
  : true extends { [K in keyof P]: P[K] extends { orgId: string } ? true : never }[keyof P]
    ? true
    : false;

/** The names of a module's functions whose parameters (after the executor) carry no `orgId`. */
type Unscoped<M> = {
  [K in keyof M]: M[K] extends (db: never, params: infer P, ...rest: never[]) => unknown
    ? Scoped<P> extends true
      ? never
      : K
    : never;
}[keyof M];

/**
 * Not queries, or waiting to move: `insertOrg` makes the tenant itself; SQL fragments and
 * per-transaction bookkeeping take no params.
 */
type Exempt = "insertOrg" | "memberPermissionsSql" | "lastAppendedSeq" | "noteAppended" | "jsonOrNull";

type Tenanted = typeof access &
  typeof apiKeys &
  typeof attachments &
  typeof comments &
  typeof events &
  typeof github &
  typeof invites &
  typeof members &
  typeof orgs &
  typeof projects &
  typeof tags &
  typeof tasks &
  typeof teams;

type Expect<T extends never> = T;
export type EveryQueryTakesOrgId = Expect<Exclude<Unscoped<Tenanted>, Exempt>>;

/** And every cross-tenant one says so in its name. */
export type SystemQueriesAreNamedSo = Expect<Exclude<keyof typeof system, `system${string}`>>;
