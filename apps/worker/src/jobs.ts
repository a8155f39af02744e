import { type DbHandle, findRepoLinksByName, getOrg } from "@tandem/database";
import {
  syncComment,
  syncIssue,
  syncPullRequest,
  ZGithubComment,
  ZGithubIssue,
  ZGithubPullRequest,
  ZRepositoryRef,
} from "@tandem/domain";
import { traced } from "@tandem/opentelemetry";
import type { Logger } from "@tandem/util/server";

export type GithubEventJob = {
  deliveryId: string;
  event: string;
  payload: Record<string, unknown> & { action?: string };
  /** W3C trace context of the webhook request. */
  trace?: Record<string, string>;
};

/** Every org that links the payload's repository, with its link row. */
async function targetsFor(handle: DbHandle, payload: Record<string, unknown>) {
  const repository = ZRepositoryRef.safeParse(payload.repository);
  if (!repository.success) return [];
  const links = await findRepoLinksByName(handle.db, { fullName: repository.data.full_name });
  const targets = [];
  for (const repo of links) {
    const org = await getOrg(handle.db, { orgId: repo.orgId });
    if (org) targets.push({ db: handle.db, org, repo });
  }
  return targets;
}

/**
 * Applies one delivery. Safe to run again: a processed delivery is skipped, and every write
 * compares GitHub's `updated_at` per field, so a retry or a late duplicate changes nothing.
 */
export async function processGithubEvent(handle: DbHandle, logger: Logger, job: GithubEventJob): Promise<void> {
  await traced(
    "job.github-event",
    async () => {
      const [delivery] = await handle.sql<
        { status: string }[]
      >`select status from webhook_delivery where id = ${job.deliveryId}`;
      if (delivery?.status === "processed") return;
      const action = job.payload.action ?? "";
      const targets = await targetsFor(handle, job.payload);
      for (const target of targets) {
        if (job.event === "issues") {
          const issue = ZGithubIssue.parse(job.payload.issue);
          if (issue.pull_request === undefined) await syncIssue(target, issue, action);
        } else if (job.event === "pull_request") {
          await syncPullRequest(target, ZGithubPullRequest.parse(job.payload.pull_request), action);
        } else if (job.event === "issue_comment") {
          const issue = ZGithubIssue.parse(job.payload.issue);
          // A comment can arrive before its issue's own event: bring the issue in first.
          if (issue.pull_request === undefined) await syncIssue(target, issue, "edited");
          await syncComment(target, issue.number, ZGithubComment.parse(job.payload.comment), action);
        }
      }
      await handle.sql`update webhook_delivery set status = ${targets.length ? "processed" : "ignored"}, processed_at = now(), error = null where id = ${job.deliveryId}`;
      logger.info("delivery applied", { deliveryId: job.deliveryId, event: job.event, action, orgs: targets.length });
    },
    { "github.delivery": job.deliveryId, "github.event": job.event },
  );
}

/** A job out of retries lands in the dead-letter queue; its delivery is marked for admins to see. */
export async function markDead(handle: DbHandle, job: GithubEventJob, reason: string): Promise<void> {
  await handle.sql`update webhook_delivery set status = 'dead', error = ${reason.slice(0, 2000)} where id = ${job.deliveryId}`;
}
