import type { EmitterWebhookEvent } from "@octokit/webhooks";
import {
  type DbHandle,
  getOrg,
  systemFinishDelivery,
  systemGetDelivery,
  systemGetRepoLink,
  systemMarkDeliveryDead,
  systemRecordDeliveryFailure,
} from "@tandem/database";
import {
  githubCtx,
  ignoreCommits,
  type Services,
  syncComment,
  syncIssue,
  syncLabel,
  syncPullRequest,
  syncReview,
  ZGithubComment,
  ZGithubIssue,
  ZGithubLabelEvent,
  ZGithubPullRequest,
  ZGithubReview,
} from "@tandem/domain";
import { traced } from "@tandem/opentelemetry";
import type { Logger } from "@tandem/util/server";
import type { z } from "zod";

export type GithubEventJob = {
  deliveryId: string;
  /** The one link the delivery was verified for (absent on jobs queued before links had secrets). */
  linkId?: string;
  event: string;
  payload: Record<string, unknown> & { action?: unknown };
  /** When the webhook was received (ISO): a batch is applied in arrival order. */
  receivedAt?: string;
  /** W3C trace context of the webhook request. */
  trace?: Record<string, string>;
};

/**
 * Compile-time check that every payload `@octokit/webhooks` types for these events fits the
 * schemas the sync parses with: a field GitHub may leave out (`issues.pinned` has no `state`)
 * must be optional here, or this stops compiling.
 */
type Payload<E extends "issues" | "issue_comment" | "pull_request" | "pull_request_review" | "label"> =
  EmitterWebhookEvent<E>["payload"];
type Fits<Schema extends z.ZodType, Value> = [Value] extends [z.input<Schema>] ? true : false;
const payloadsFit: [
  Fits<typeof ZGithubIssue, Payload<"issues">["issue"]>,
  Fits<typeof ZGithubIssue, Payload<"issue_comment">["issue"]>,
  Fits<typeof ZGithubComment, Payload<"issue_comment">["comment"]>,
  Fits<typeof ZGithubPullRequest, Payload<"pull_request">["pull_request"]>,
  Fits<typeof ZGithubPullRequest, Payload<"pull_request_review">["pull_request"]>,
  Fits<typeof ZGithubReview, Payload<"pull_request_review">["review"]>,
  Fits<typeof ZGithubLabelEvent, Payload<"label">>,
] = [true, true, true, true, true, true, true];
void payloadsFit;

/** A payload the sync cannot use: the delivery is acknowledged and recorded as ignored, never retried. */
class Unusable extends Error {}

/** The innermost cause's message: Postgres' own words rather than the ORM's wrapper with the query. */
export function rootMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

/** A failure while applying a delivery, with the step it happened in (shown to admins). */
export class StepError extends Error {
  constructor(
    readonly step: string,
    cause: unknown,
  ) {
    super(rootMessage(cause), { cause });
  }
}

function parse<Schema extends z.ZodType>(schema: Schema, value: unknown, what: string): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [what, ...(issue?.path ?? [])].join(".");
  throw new Unusable(`${path}: ${issue?.message ?? "not usable"}`);
}

async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new StepError(name, error);
  }
}

type Target = NonNullable<Awaited<ReturnType<typeof targetFor>>>;
type Handler = (target: Target, payload: GithubEventJob["payload"], action: string) => Promise<void>;

/** How each event is applied; the parse happens before any write, so an unusable payload writes nothing. */
const HANDLERS: Record<string, Handler> = {
  issues: async ({ ctx, repo }, payload, action) => {
    const issue = parse(ZGithubIssue, payload.issue, "issue");
    if (issue.pull_request !== undefined) throw new Unusable("issue: a pull request's issue event");
    await step("issue", () => syncIssue({ ctx, input: { repo, issue, action } }));
  },
  pull_request: async ({ ctx, repo }, payload, action) => {
    const pr = parse(ZGithubPullRequest, payload.pull_request, "pull_request");
    await step("pull_request", () => syncPullRequest({ ctx, input: { repo, pullRequest: pr, action } }));
  },
  issue_comment: async ({ ctx, repo }, payload, action) => {
    const issue = parse(ZGithubIssue, payload.issue, "issue");
    const comment = parse(ZGithubComment, payload.comment, "comment");
    // A comment can arrive before its issue's own event: bring the issue in first.
    if (issue.pull_request === undefined)
      await step("issue", () => syncIssue({ ctx, input: { repo, issue, action: "edited" } }));
    await step("comment", () => syncComment({ ctx, input: { repo, issueNumber: issue.number, comment, action } }));
  },
  pull_request_review: async ({ ctx, repo }, payload) => {
    const pr = parse(ZGithubPullRequest, payload.pull_request, "pull_request");
    const review = parse(ZGithubReview, payload.review, "review");
    // A review can arrive before its pull request's own event: bring the PR in first.
    await step("pull_request", () => syncPullRequest({ ctx, input: { repo, pullRequest: pr, action: "edited" } }));
    await step("review", () => syncReview({ ctx, input: { repo, prNumber: pr.number, review } }));
  },
  label: async ({ ctx, repo }, payload, action) => {
    const event = parse(ZGithubLabelEvent, payload, "label");
    await step("label", () => syncLabel({ ctx, input: { repo, event, action } }));
  },
};

/** The link the delivery was verified for, with its org; nothing when it is gone or disabled. */
async function targetFor(handle: DbHandle, services: Services, job: GithubEventJob) {
  const linkId = job.linkId ?? (await systemGetDelivery(handle.db, { id: job.deliveryId }))?.linkId;
  const repo = linkId ? await systemGetRepoLink(handle.db, { id: linkId }) : undefined;
  if (!repo?.enabled) return null;
  const org = await getOrg(handle.db, { orgId: repo.orgId });
  // No hub in this process: backends learn of the sync's commits by NOTIFY or their poll.
  return org ? { ctx: githubCtx({ db: handle.db, notify: ignoreCommits, services }, org), repo } : null;
}

/** Why a delivery with no handler or target is acknowledged without applying it. */
function skipReason(job: GithubEventJob, target: Target | null): string | null {
  if (!HANDLERS[job.event]) return `the sync does not apply ${job.event} events`;
  return target ? null : "the repository link is gone or disabled";
}

/**
 * Applies one delivery to the one link it was verified for. Safe to run again: a processed
 * delivery is skipped, and every write compares GitHub's `updated_at` per field, so a retry or
 * a late duplicate changes nothing. A payload the sync cannot use is recorded as ignored with
 * the reason; any other failure is thrown (retried) with the step it happened in.
 */
export async function processGithubEvent(
  { handle, services, logger }: { handle: DbHandle; services: Services; logger: Logger },
  job: GithubEventJob,
): Promise<void> {
  await traced(
    "job.github-event",
    async () => {
      const delivery = await systemGetDelivery(handle.db, { id: job.deliveryId });
      if (delivery?.status === "processed") return;
      const action = typeof job.payload.action === "string" ? job.payload.action : "";
      const target = await step("route", () => targetFor(handle, services, job));
      let reason = skipReason(job, target);
      const handler = HANDLERS[job.event];
      if (!reason && target && handler) {
        try {
          await handler(target, job.payload, action);
        } catch (error) {
          if (!(error instanceof Unusable)) throw error;
          reason = error.message;
        }
      }
      await systemFinishDelivery(handle.db, { id: job.deliveryId, reason: reason ?? undefined });
      logger.info("delivery applied", {
        deliveryId: job.deliveryId,
        event: job.event,
        action,
        orgId: target?.ctx.org.id,
        reason,
      });
    },
    { "github.delivery": job.deliveryId, "github.event": job.event },
  );
}

/** A failed attempt: its error and step are kept on the delivery (admins see the last one). */
export async function recordFailure(handle: DbHandle, job: GithubEventJob, error: unknown): Promise<void> {
  const step = error instanceof StepError ? error.step : "run";
  const message = error instanceof StepError ? error.message : rootMessage(error);
  await systemRecordDeliveryFailure(handle.db, { id: job.deliveryId, message, step });
}

/** A job out of retries lands in the dead-letter queue; its delivery is marked for admins to see. */
export async function markDead(handle: DbHandle, job: GithubEventJob): Promise<void> {
  await systemMarkDeliveryDead(handle.db, { id: job.deliveryId });
}
