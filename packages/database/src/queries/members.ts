import { and, asc, eq, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import { member, memberTeam, team, user } from "../schema/index.ts";

/** Name and picture (never the e-mail) of everyone assigned to a public task of the org. */
export async function listPublicAssignees(db: Executor, { orgId }: { orgId: string }) {
  return db
    .select({ id: user.id, name: user.name, image: user.image })
    .from(user)
    .where(
      sql`${user.id} in (select unnest(t.assignee_ids) from task t
        where t.org_id = ${orgId} and t.visibility = 'public' and t.deleted_at is null)`,
    )
    .orderBy(asc(user.name));
}

export async function listMembers(db: Executor, { orgId }: { orgId: string }) {
  return db
    .select({
      memberId: member.id,
      userId: user.id,
      name: user.name,
      email: user.email,
      image: user.image,
      joinedAt: member.createdAt,
      teamIds: sql<
        string[]
      >`coalesce((select array_agg(mt.team_id order by mt.team_id) from member_team mt where mt.member_id = ${member.id}), '{}')`,
    })
    .from(member)
    .innerJoin(user, eq(user.id, member.userId))
    .where(eq(member.orgId, orgId))
    .orderBy(asc(user.name), asc(user.id));
}

export async function getMember(db: Executor, { orgId, userId }: { orgId: string; userId: string }) {
  const [row] = await db
    .select()
    .from(member)
    .where(and(eq(member.orgId, orgId), eq(member.userId, userId)));
  return row;
}

/** Inserts a membership unless it exists; returns the member row either way. */
export async function ensureMember(
  tx: Transaction,
  { id, orgId, userId }: { id: string; orgId: string; userId: string },
): Promise<{ row: typeof member.$inferSelect; created: boolean }> {
  const [inserted] = await tx.insert(member).values({ id, orgId, userId }).onConflictDoNothing().returning();
  if (inserted) return { row: inserted, created: true };
  const existing = await getMember(tx, { orgId, userId });
  if (!existing) throw new Error("membership vanished during insert");
  return { row: existing, created: false };
}

export async function deleteMember(tx: Transaction, { orgId, userId }: { orgId: string; userId: string }) {
  const [row] = await tx
    .delete(member)
    .where(and(eq(member.orgId, orgId), eq(member.userId, userId)))
    .returning();
  return row;
}

/** Both sides must belong to the org: a team or member of another org is never linked. */
const bothInOrg = (orgId: string, teamId: string, memberId: string) =>
  sql`exists (select 1 from ${team} where ${team.id} = ${teamId} and ${team.orgId} = ${orgId})
      and exists (select 1 from ${member} where ${member.id} = ${memberId} and ${member.orgId} = ${orgId})`;

export async function addMemberToTeam(
  tx: Transaction,
  { orgId, teamId, memberId }: { orgId: string; teamId: string; memberId: string },
) {
  const rows = await tx.execute(sql`
    insert into ${memberTeam} (team_id, member_id)
    select ${teamId}, ${memberId} where ${bothInOrg(orgId, teamId, memberId)}
    on conflict do nothing
    returning team_id`);
  return rows.length > 0;
}

export async function removeMemberFromTeam(
  tx: Transaction,
  { orgId, teamId, memberId }: { orgId: string; teamId: string; memberId: string },
) {
  const rows = await tx
    .delete(memberTeam)
    .where(and(eq(memberTeam.teamId, teamId), eq(memberTeam.memberId, memberId), bothInOrg(orgId, teamId, memberId)))
    .returning();
  return rows.length > 0;
}

/** Ids of users that are members of the org, out of `userIds`. */
export async function filterMemberUserIds(db: Executor, { orgId, userIds }: { orgId: string; userIds: string[] }) {
  if (userIds.length === 0) return [];
  const rows = await db.execute<{ user_id: string }>(
    sql`select user_id from member where org_id = ${orgId} and user_id in ${userIds}`,
  );
  return rows.map((row) => row.user_id);
}
