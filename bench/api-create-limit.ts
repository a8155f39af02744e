/**
 * The same-work limit of task create: raw postgres.js (prepared, the backend's pool size), no
 * app, issuing the statements one `POST /api/orgs/:orgId/tasks` issues:
 *   1. the session by token, 2. its user, 3. the membership + org + counter + team permissions
 *      (the request's auth and org context; logged with `log_statement = 'all'` on 2026-12-01);
 *   4. BEGIN, 5. the org's first live project (`project_default`), 6. its workflow states
 *      (`listStates`), 7. the CTE (the project's number, the org's event seq, the rank after the
 *      state's last card, task, activity and event inserts; the event's NOTIFY trigger fires),
 *   8. COMMIT.
 * Statements 5–7 follow packages/domain/src/tasks/create.ts and insertTaskWithEvent as of the
 * projects model (issue 13), read from the code. When the create path changes, update this file:
 * the limit is only honest while it does the same work.
 */
import { taskFieldDefaults } from "@tandem/contracts";
import { connect } from "@tandem/database";
import { newId, rankTail } from "@tandem/util";
import { cleanups } from "./lifecycle.ts";

export type CreateIdentity = { orgId: string; userId: string; prefix: string };

export async function sameWorkCreate(databaseUrl: string, who: CreateIdentity): Promise<() => Promise<unknown>> {
  const handle = connect(databaseUrl, { applicationName: "tandem-bench-same-work" });
  cleanups.push(() => handle.close());
  const { sql } = handle;
  const { orgId, userId, prefix } = who;
  const [session] = await sql<{ token: string }[]>`select token from session where user_id = ${userId} limit 1`;
  if (!session) throw new Error("same-work limit: the bench user has no session");
  const token = session.token;

  return async () => {
    await sql`select "id", "expires_at", "token", "created_at", "updated_at", "ip_address", "user_agent", "user_id"
                from "session" where "session"."token" = ${token}`;
    await sql`select "id", "name", "email", "email_verified", "image", "created_at", "updated_at"
                from "user" where "user"."id" = ${userId}`;
    await sql`select "organization"."id", "organization"."name", "organization"."slug", "organization"."prefix",
                "organization"."public_board", "organization"."public_fields", "organization"."created_by",
                "organization"."created_at", "organization"."updated_at", "org_counter"."last_event_seq", "member"."id",
                coalesce((select array_agg(distinct p.perm)
                            from member_team mt
                            join team t on t.id = mt.team_id
                            cross join lateral jsonb_array_elements_text(t.permissions) as p(perm)
                           where mt.member_id = "member"."id"), '{}')
                from "member"
                inner join "organization" on "organization"."id" = "member"."org_id"
                inner join "org_counter" on "org_counter"."org_id" = "member"."org_id"
               where ("member"."org_id" = ${orgId} and "member"."user_id" = ${userId})`;
    await sql.begin(async (tx) => {
      const [project] = await tx`
        select * from project where org_id = ${orgId} and archived = false
         order by position asc, created_at asc, id asc limit 1`;
      if (!project) throw new Error("same-work limit: the org has no project");
      const states = await tx<{ id: string; category: string }[]>`
        select * from workflow_state where org_id = ${orgId} and project_id in ${sql([project.id as string])}
         order by project_id asc, position asc, created_at asc`;
      const state = states.find((row) => row.category === "unstarted");
      if (!state) throw new Error("same-work limit: the project has no unstarted state");
      const id = newId("task");
      const created = new Date().toISOString();
      const task = {
        id,
        orgId,
        projectId: project.id,
        number: 0,
        key: `${prefix}-0`,
        title: "bench task",
        ...taskFieldDefaults(),
        stateId: state.id,
        visibility: "private",
        rank: "",
        version: 1,
        createdBy: userId,
        updatedBy: userId,
        createdAt: created,
        updatedAt: created,
      };
      await tx`
        with numbered as (
          update project set last_task_number = last_task_number + 1
           where id = ${project.id} and org_id = ${orgId}
          returning org_id, last_task_number as number
        ), counter as (
          update org_counter set last_event_seq = last_event_seq + 1
           where org_id = (select org_id from numbered)
          returning last_event_seq as seq
        ), ranked as (
          select tandem_key_after((
            select rank from task
             where org_id = ${orgId} and project_id = ${project.id} and state_id = ${state.id} and deleted_at is null
             order by rank desc, id desc limit 1)) || ${rankTail()} as rank
        ), inserted as (
          insert into task (id, org_id, project_id, number, title, description, state_id, status, priority, start_date,
                            due_date, estimate, category_id, parent_id, visibility, rank, label_ids, assignee_ids,
                            external_assignees, synced_at, created_by, updated_by, created_at, updated_at)
          select ${id}, ${orgId}, ${project.id}, numbered.number, ${task.title}, ${""}, ${state.id},
                 ${"todo"}::task_status, ${"none"}::task_priority, ${null}::date, ${null}::date, ${null}::int,
                 ${null}, ${null}, ${"private"}::task_visibility, ranked.rank, ${"{}"}::text[],
                 ${"{}"}::text[], ${"[]"}::jsonb,
                 ${"{}"}::jsonb, ${userId}, ${userId}, ${created}::timestamptz, ${created}::timestamptz
            from numbered, ranked
          returning id, rank
        ), activity as (
          insert into task_activity (id, org_id, task_id, actor_id, actor_type, actor_key, action, changes, created_at)
          select ${newId("act")}, ${orgId}, inserted.id, ${userId}, ${"user"}::actor_type, ${null}::jsonb,
                 ${"created"}, ${"[]"}::jsonb, ${created}::timestamptz
            from inserted
        ), ev as (
          insert into event (org_id, seq, type, visibility, actor_id, actor_key, origin, payload, created_at)
          select ${orgId}, counter.seq, ${"CREATE_TASK"}, ${"members"}, ${userId}, ${null}::jsonb, ${null},
                 jsonb_set(jsonb_set(jsonb_set(${JSON.stringify({ task })}::jsonb, '{task,number}', to_jsonb(numbered.number)),
                           '{task,key}', to_jsonb(${prefix}::text || '-' || numbered.number)),
                           '{task,rank}', to_jsonb(inserted.rank::text)),
                 ${created}::timestamptz
            from numbered, counter, inserted
          returning seq
        )
        select numbered.number::int as number, inserted.rank::text as rank, ev.seq::bigint as seq
          from numbered, inserted, ev`;
    });
  };
}
