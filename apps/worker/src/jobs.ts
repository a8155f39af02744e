import { type DbHandle, getOrg, getRepoLinkById } from "@tandem/database";
import {
  syncComment,
  syncIssue,
  syncPullRequest,
  ZGithubComment,
  ZGithubIssue,
  ZGithubPullRequest,
} from "@tandem/domain";
import { traced } from "@tandem/opentelemetry";
import type { Logger } from "@tandem/util/server";

export type GithubEventJob = {
  deliveryId: string;
  /** The one link the delivery was verified for (absent on jobs queued before links had secrets). */
  linkId?: string;
  event: string;
  payload: Record<string, unknown> & { action?: unknown };
  /** W3C trace context of the webhook request. */
  trace?: Record<string, string>;
};

/** The link the delivery was verified for, with its org; nothing when it is gone or disabled. */
async function targetFor(handle: DbHandle, job: GithubEventJob) {
  const [delivery] = await handle.sql<{ link_id: string | null }[]>`
    select link_id from webhook_delivery where id = ${job.deliveryId}`;
  const linkId = job.linkId ?? delivery?.link_id;
  const repo = linkId ? await getRepoLinkById(handle.db, { id: linkId }) : undefined;
  if (!repo?.enabled) return null;
  const org = await getOrg(handle.db, { orgId: repo.orgId });
  return org ? { db: handle.db, org, repo } : null;
}

/**
 * Applies one delivery to the one link it was verified for. Safe to run again: a processed
 * delivery is skipped, and every write compares GitHub's `updated_at` per field, so a retry or
 * a late duplicate changes nothing.
 */
export async function processGithubEvent(handle: DbHandle, logger: Logger, job: GithubEventJob): Promise<void> {
  await traced(
    "job.github-event",
    async () => {
      const [delivery] = await handle.sql<
        { status: string }[]
      >`select status from webhook_delivery where id = ${job.deliveryId}`;
      if (delivery?.status === "processed") return;
      const action = typeof job.payload.action === "string" ? job.payload.action : "";
      const target = await targetFor(handle, job);
      let applied = false;
      if (target && job.event === "issues") {
        const issue = ZGithubIssue.parse(job.payload.issue);
        if (issue.pull_request === undefined) await syncIssue(target, issue, action);
        applied = true;
      } else if (target && job.event === "pull_request") {
        await syncPullRequest(target, ZGithubPullRequest.parse(job.payload.pull_request), action);
        applied = true;
      } else if (target && job.event === "issue_comment") {
        const issue = ZGithubIssue.parse(job.payload.issue);
        // A comment can arrive before its issue's own event: bring the issue in first.
        if (issue.pull_request === undefined) await syncIssue(target, issue, "edited");
        await syncComment(target, issue.number, ZGithubComment.parse(job.payload.comment), action);
        applied = true;
      }
      await handle.sql`update webhook_delivery set status = ${applied ? "processed" : "ignored"}, processed_at = now(), error = null where id = ${job.deliveryId}`;
      logger.info("delivery applied", {
        deliveryId: job.deliveryId,
        event: job.event,
        action,
        orgId: target?.org.id,
        applied,
      });
    },
    { "github.delivery": job.deliveryId, "github.event": job.event },
  );
}

/** A job out of retries lands in the dead-letter queue; its delivery is marked for admins to see. */
export async function markDead(handle: DbHandle, job: GithubEventJob, reason: string): Promise<void> {
  await handle.sql`update webhook_delivery set status = 'dead', error = ${reason.slice(0, 2000)} where id = ${job.deliveryId}`;
}
