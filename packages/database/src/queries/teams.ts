import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../client.ts";
import { team } from "../schema/index.ts";

const teamColumns = {
  id: team.id,
  orgId: team.orgId,
  name: team.name,
  permissions: team.permissions,
  createdAt: team.createdAt,
  updatedAt: team.updatedAt,
  // Qualified by hand: Drizzle leaves column references unqualified in single-table selects,
  // where a bare "id" inside this subquery would bind to the member's id.
  memberIds: sql<string[]>`coalesce((
    select array_agg(m.user_id order by m.user_id)
      from member_team mt join member m on m.id = mt.member_id
     where mt.team_id = "team"."id"), '{}')`,
};

export async function listTeams(db: Executor, { orgId }: { orgId: string }) {
  return db.select(teamColumns).from(team).where(eq(team.orgId, orgId)).orderBy(asc(team.name));
}

export async function getTeam(db: Executor, { orgId, teamId }: { orgId: string; teamId: string }) {
  const [row] = await db
    .select(teamColumns)
    .from(team)
    .where(and(eq(team.orgId, orgId), eq(team.id, teamId)));
  return row;
}

export async function insertTeam(tx: Transaction, values: typeof team.$inferInsert) {
  await tx.insert(team).values(values);
}

export async function updateTeamRow(
  tx: Transaction,
  { orgId, teamId, values }: { orgId: string; teamId: string; values: Partial<typeof team.$inferInsert> },
) {
  const rows = await tx
    .update(team)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(team.orgId, orgId), eq(team.id, teamId)))
    .returning({ id: team.id });
  return rows.length > 0;
}

export async function deleteTeamRow(tx: Transaction, { orgId, teamId }: { orgId: string; teamId: string }) {
  const rows = await tx
    .delete(team)
    .where(and(eq(team.orgId, orgId), eq(team.id, teamId)))
    .returning({ id: team.id });
  return rows.length > 0;
}

export async function getTeamsByIds(db: Executor, { orgId, teamIds }: { orgId: string; teamIds: string[] }) {
  if (teamIds.length === 0) return [];
  return db
    .select(teamColumns)
    .from(team)
    .where(and(eq(team.orgId, orgId), inArray(team.id, teamIds)));
}
