import type { TTask } from "@tandem/contracts";
import {
  type DbHandle,
  type EventRow,
  findIssueLinkByTask,
  getEventCursor,
  getIssueLink,
  getRepoLink,
  lastEventSeq,
  listEvents,
  setCommentGithubId,
  setEventCursor,
  systemOrgsWithTokens,
  updateIssueLink,
  withQueueTransaction,
} from "@tandem/database";
import { traced } from "@tandem/opentelemetry";
import { type PgBoss, QUEUES } from "@tandem/queue";
import { decryptSecret, type Logger } from "@tandem/util/server";
import { type GithubConfig, githubClient } from "./github-api.ts";

const CONSUMER = "github-outbound";

export type OutboundJob =
  | {
      kind: "issue-state";
      orgId: string;
      linkId: string;
      state: "open" | "closed";
      reason: "completed" | "not_planned" | "reopened";
    }
  | { kind: "comment"; orgId: string; linkId: string; commentId: string; body: string };

/** Tandem status → GitHub issue state. */
function desiredState(
  status: TTask["status"],
): Pick<Extract<OutboundJob, { kind: "issue-state" }>, "state" | "reason"> {
  if (status === "done") return { state: "closed", reason: "completed" };
  if (status === "canceled") return { state: "closed", reason: "not_planned" };
  return { state: "open", reason: "reopened" };
}

/** The GitHub calls a person's change needs; the sync's own changes have no actor (no echo). */
async function jobsFor(handle: DbHandle, orgId: string, event: EventRow): Promise<OutboundJob[]> {
  if (!event.actorId) return [];
  switch (event.type) {
    case "UPDATE_TASK": {
      const { task } = event.payload;
      const link = await findIssueLinkByTask(handle.db, { orgId, taskId: task.id });
      const desired = desiredState(task.status);
      if (!link || link.state === "deleted" || link.state === desired.state) return [];
      return [{ kind: "issue-state", orgId, linkId: link.id, ...desired }];
    }
    case "CREATE_COMMENT": {
      const { comment } = event.payload;
      const link = await findIssueLinkByTask(handle.db, { orgId, taskId: comment.taskId });
      if (!link || link.state === "deleted") return [];
      return [{ kind: "comment", orgId, linkId: link.id, commentId: comment.id, body: comment.body }];
    }
    case "CREATE_TASK":
    case "DELETE_TASK":
    case "UPDATE_COMMENT":
    case "DELETE_COMMENT":
    case "CREATE_LABEL":
    case "UPDATE_LABEL":
    case "DELETE_LABEL":
    case "CREATE_CATEGORY":
    case "UPDATE_CATEGORY":
    case "DELETE_CATEGORY":
    case "CREATE_ORG":
    case "UPDATE_ORG":
    case "DELETE_ORG":
    case "CREATE_TEAM":
    case "UPDATE_TEAM":
    case "DELETE_TEAM":
    case "CREATE_MEMBER":
    case "UPDATE_MEMBER":
    case "DELETE_MEMBER":
    case "CREATE_INVITE":
    case "UPDATE_INVITE":
    case "CREATE_ATTACHMENT":
    case "DELETE_ATTACHMENT":
    case "CREATE_GITHUB_REPO":
    case "DELETE_GITHUB_REPO":
    case "UPDATE_GITHUB_REPO":
    case "CREATE_API_KEY":
    case "UPDATE_IMPORT":
    case "DELETE_API_KEY":
    case "CREATE_WEBHOOK":
    case "UPDATE_WEBHOOK":
    case "DELETE_WEBHOOK":
    // A task's state change comes as UPDATE_TASK (its status); projects and the rest need no GitHub call.
    case "CREATE_PROJECT":
    case "UPDATE_PROJECT":
    case "DELETE_PROJECT":
    case "CREATE_STATE":
    case "UPDATE_STATE":
    case "DELETE_STATE":
    case "CREATE_RELATION":
    case "DELETE_RELATION":
    case "CREATE_VIEW":
    case "UPDATE_VIEW":
    case "DELETE_VIEW":
      return [];
    default:
      return event satisfies never;
  }
}

/**
 * Reads the event log of orgs with writable repos and queues the GitHub calls that people's
 * changes need. Changes made by the sync itself have no actor and are skipped (no echo), and a
 * state GitHub already has is not sent again.
 */
export async function followOutbound(handle: DbHandle, queue: PgBoss, logger: Logger): Promise<void> {
  for (const orgId of await systemOrgsWithTokens(handle.db)) {
    let after = await getEventCursor(handle.db, { consumer: CONSUMER, orgId });
    if (after === null) {
      // Start from now: linking a repo does not replay the org's history to GitHub.
      await setEventCursor(handle.db, { consumer: CONSUMER, orgId, lastSeq: await lastEventSeq(handle.db, { orgId }) });
      continue;
    }
    const events = await listEvents(handle.db, { orgId, after, limit: 200, visibilities: ["public", "members"] });
    for (const event of events) {
      const jobs = await jobsFor(handle, orgId, event);
      // The jobs and the cursor move together, so a crash neither loses nor repeats a call.
      await withQueueTransaction(handle, async (tx, db) => {
        for (const job of jobs) {
          await queue.send(QUEUES.githubOutbound, job, { db, singletonKey: `${event.orgId}:${event.seq}:${job.kind}` });
        }
        await setEventCursor(tx, { consumer: CONSUMER, orgId, lastSeq: event.seq });
      });
      after = event.seq;
      if (jobs.length) logger.info("outbound queued", { orgId, seq: event.seq, jobs: jobs.map((j) => j.kind) });
    }
  }
}

/** Makes one GitHub call for an outbound job, with the link's sealed token. */
export async function runOutbound(
  handle: DbHandle,
  config: GithubConfig & { encryptionKey: string | undefined },
  job: OutboundJob,
): Promise<void> {
  await traced(
    "job.github-outbound",
    async () => {
      const link = await getIssueLink(handle.db, { orgId: job.orgId, id: job.linkId });
      const repo = link ? await getRepoLink(handle.db, { orgId: job.orgId, id: link.repositoryId }) : undefined;
      if (!link || !repo?.tokenEncrypted || !config.encryptionKey) return;
      const client = githubClient(config, decryptSecret(repo.tokenEncrypted, config.encryptionKey));
      if (job.kind === "issue-state") {
        if (link.state === job.state) return; // already there: a retry after success
        const issue = await client.setIssueState(repo.fullName, link.number, job.state, job.reason);
        // Remember what GitHub now has, so its returning webhook is recognised as ours.
        await updateIssueLink(handle.db, {
          orgId: job.orgId,
          id: link.id,
          values: { state: job.state, githubUpdatedAt: new Date(issue.updated_at) },
        });
      } else {
        const comment = await client.createComment(repo.fullName, link.number, job.body);
        await setCommentGithubId(handle.db, {
          orgId: job.orgId,
          commentId: job.commentId,
          githubCommentId: comment.id,
          updatedAt: new Date(comment.updated_at),
        });
      }
    },
    { "github.outbound": job.kind },
  );
}
