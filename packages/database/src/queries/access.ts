import { sql } from "drizzle-orm";
import type { Executor } from "../client.ts";

export type OrgAccess = { memberId: string; permissions: Set<string> };

/**
 * The caller's membership in an org and the union of its teams' permissions, or null for a
 * non-member. Always read from the database, so a removal takes effect on the next request.
 */
export async function getOrgAccess(
  db: Executor,
  { orgId, userId }: { orgId: string; userId: string },
): Promise<OrgAccess | null> {
  const rows = await db.execute<{ member_id: string; permissions: string[] }>(sql`
    select m.id as member_id,
           coalesce(array_agg(distinct p.perm) filter (where p.perm is not null), '{}') as permissions
      from member m
      left join member_team mt on mt.member_id = m.id
      left join team t on t.id = mt.team_id
      left join lateral jsonb_array_elements_text(t.permissions) as p(perm) on true
     where m.org_id = ${orgId} and m.user_id = ${userId}
     group by m.id`);
  const row = rows[0];
  return row ? { memberId: row.member_id, permissions: new Set(row.permissions) } : null;
}

/** SPEC §5: `admin.administrator` grants every permission. */
export async function hasOrgPermission(
  db: Executor,
  userId: string,
  orgId: string,
  permission: string,
): Promise<boolean> {
  const access = await getOrgAccess(db, { orgId, userId });
  if (!access) return false;
  return access.permissions.has("admin.administrator") || access.permissions.has(permission);
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
