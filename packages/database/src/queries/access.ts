import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import { executePrepared } from "../prepared.ts";
import { member, organization, orgCounter } from "../schema/index.ts";
import type { OrgRow } from "./orgs.ts";

export type OrgAccess = { memberId: string; permissions: Set<string> };

/**
 * The caller's membership in an org and the union of its teams' permissions, or null for a
 * non-member. Always read from the database, so a removal takes effect on the next request.
 */
export async function getOrgAccess(
  db: Executor,
  { orgId, userId }: { orgId: string; userId: string },
): Promise<OrgAccess | null> {
  const rows = await executePrepared<{ member_id: string; permissions: string[] }>(
    db,
    "org_access",
    sql`
    select m.id as member_id,
           coalesce(array_agg(distinct p.perm) filter (where p.perm is not null), '{}') as permissions
      from member m
      left join member_team mt on mt.member_id = m.id
      left join team t on t.id = mt.team_id
      left join lateral jsonb_array_elements_text(t.permissions) as p(perm) on true
     where m.org_id = ${orgId} and m.user_id = ${userId}
     group by m.id`,
  );
  const row = rows[0];
  return row ? { memberId: row.member_id, permissions: new Set(row.permissions) } : null;
}

/** The union of the permissions a member's teams grant, as a text[] expression. */
export function memberPermissionsSql(memberId: SQL | typeof member.id): SQL<string[]> {
  return sql<string[]>`coalesce((
    select array_agg(distinct p.perm)
      from member_team mt
      join team t on t.id = mt.team_id
      cross join lateral jsonb_array_elements_text(t.permissions) as p(perm)
     where mt.member_id = ${memberId}), '{}')`;
}

export type MemberOrg = { org: OrgRow; access: OrgAccess; lastEventSeq: number };

/**
 * Everything an org-scoped request needs, in one round trip: the org, the caller's
 * membership and permissions, and the org's last event seq (the version of its data).
 */
export async function getMemberOrg(
  db: Executor,
  { orgId, userId }: { orgId: string; userId: string },
): Promise<MemberOrg | null> {
  const [row] = await db
    .select({
      org: organization,
      lastEventSeq: orgCounter.lastEventSeq,
      memberId: member.id,
      permissions: memberPermissionsSql(member.id),
    })
    .from(member)
    .innerJoin(organization, eq(organization.id, member.orgId))
    .innerJoin(orgCounter, eq(orgCounter.orgId, member.orgId))
    .where(and(eq(member.orgId, orgId), eq(member.userId, userId)))
    .prepare("member_org")
    .execute();
  if (!row) return null;
  return {
    org: row.org,
    lastEventSeq: row.lastEventSeq,
    access: { memberId: row.memberId, permissions: new Set(row.permissions) },
  };
}

/** How many members hold `admin.administrator` through some team. */
export async function countAdministrators(db: Executor, { orgId }: { orgId: string }): Promise<number> {
  const rows = await db.execute<{ n: number }>(sql`
    select count(distinct m.id)::int as n
      from member m
      join member_team mt on mt.member_id = m.id
      join team t on t.id = mt.team_id
     where m.org_id = ${orgId} and t.permissions ? 'admin.administrator'`);
  return rows[0]?.n ?? 0;
}

/**
 * Serialises every change to who holds what in one org (team permissions, team membership,
 * members, invites): the org row is locked until the transaction ends, so "at least one
 * administrator remains" and "the actor still holds what they grant" are checked against
 * committed state. `no key update` leaves inserts that reference the org (tasks, events) free.
 */
export async function lockOrgForAccessChange(tx: Transaction, { orgId }: { orgId: string }): Promise<boolean> {
  const rows = await tx
    .select({ id: organization.id })
    .from(organization)
    .where(eq(organization.id, orgId))
    .for("no key update");
  return rows.length > 0;
}
