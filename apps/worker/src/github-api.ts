import { Octokit } from "@octokit/rest";
import { traced } from "@tandem/opentelemetry";

/** Thrown when GitHub says to wait: the job is retried after the reset the headers name. */
export class RateLimited extends Error {
  constructor(readonly resetAt: Date) {
    super(`GitHub rate limit reached; resets at ${resetAt.toISOString()}`);
  }
}

type Repo = { owner: string; repo: string };
export const splitRepo = (fullName: string): Repo => {
  const [owner = "", repo = ""] = fullName.split("/");
  return { owner, repo };
};

/** The GitHub REST calls the sync makes, each traced and rate-limit aware. */
export function githubClient(baseUrl: string, token: string | null) {
  const octokit = new Octokit({ baseUrl, ...(token ? { auth: token } : {}), request: { retries: 0 } });
  async function call<T>(name: string, run: () => Promise<T>): Promise<T> {
    return traced(`github.${name}`, async () => {
      try {
        return await run();
      } catch (error) {
        const response = (error as { response?: { status?: number; headers?: Record<string, string | undefined> } })
          .response;
        if (
          (response?.status === 403 || response?.status === 429) &&
          response.headers?.["x-ratelimit-remaining"] === "0"
        ) {
          throw new RateLimited(new Date(Number(response.headers["x-ratelimit-reset"] ?? 0) * 1000));
        }
        throw error;
      }
    });
  }
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
