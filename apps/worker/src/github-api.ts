import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { traced } from "@tandem/opentelemetry";
import Bottleneck from "bottleneck";

/** How the worker talks to GitHub: where, and the pacing unit of its waits. */
export type GithubConfig = {
  apiUrl: string;
  /**
   * Writes are spaced by this much (GitHub's advice for content-creating requests), and a
   * transient failure (5xx, network) is retried in place after 1× then 4× it. 0 in tests.
   */
  pacingMs: number;
};

/** Longest wait for a rate-limit reset inside a job; a longer one fails the job, which the queue retries later. */
const MAX_RATE_LIMIT_WAIT_SECONDS = 60;
const RETRIES = 2;

const GithubOctokit = Octokit.plugin(throttling, retry);
/** Octokit logs every failed request; the job's outcome is logged by the queue. */
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
/** One write group per pacing, shared by every client of this process (as the plugin's default is). */
const writeGroups = new Map<number, Bottleneck.Group>();
const writeGroup = (pacingMs: number) => {
  let group = writeGroups.get(pacingMs);
  if (!group) {
    group = new Bottleneck.Group({ maxConcurrent: 1, minTime: pacingMs });
    writeGroups.set(pacingMs, group);
  }
  return group;
};

/** A rate limit (primary or secondary) is waited out in place when the reset is near, twice at most. */
const waitOutLimit = (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) =>
  retryCount < RETRIES && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS;

type Repo = { owner: string; repo: string };
export const splitRepo = (fullName: string): Repo => {
  const [owner = "", repo = ""] = fullName.split("/");
  return { owner, repo };
};

/**
 * The GitHub REST calls the sync makes, each traced. Rate limits (`@octokit/plugin-throttling`)
 * and transient failures (`@octokit/plugin-retry`) are handled by Octokit's plugins; what they
 * give up on fails the job, and the queue retries it with backoff.
 */
export function githubClient(config: GithubConfig, token: string | null) {
  const octokit = new GithubOctokit({
    baseUrl: config.apiUrl,
    ...(token ? { auth: token } : {}),
    log: quiet,
    throttle: { onRateLimit: waitOutLimit, onSecondaryRateLimit: waitOutLimit, write: writeGroup(config.pacingMs) },
    retry: { retries: RETRIES, retryAfterBaseValue: config.pacingMs },
  });
  const call = <T>(name: string, run: () => Promise<T>): Promise<T> => traced(`github.${name}`, run);
  return {
    setIssueState: (
      fullName: string,
      number: number,
      state: "open" | "closed",
      reason: "completed" | "not_planned" | "reopened" | null,
    ) =>
      call(
        "issues.update",
        async () =>
          (
            await octokit.rest.issues.update({
              ...splitRepo(fullName),
              issue_number: number,
              state,
              ...(reason ? { state_reason: reason } : {}),
            })
          ).data,
      ),
    createComment: (fullName: string, number: number, body: string) =>
      call(
        "issues.createComment",
        async () =>
          (await octokit.rest.issues.createComment({ ...splitRepo(fullName), issue_number: number, body })).data,
      ),
    /** Every issue updated since `since` (all pages), pull requests excluded. */
    listIssuesSince: (fullName: string, since: Date | null) =>
      call("issues.listForRepo", async () => {
        const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
          ...splitRepo(fullName),
          state: "all",
          per_page: 100,
          ...(since ? { since: since.toISOString() } : {}),
        });
        return issues.filter((issue) => !issue.pull_request);
      }),
  };
}
