import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import type { GithubApi } from "@tandem/domain";

const TIMEOUT_MS = 10_000;
/** Octokit logs every failed request; a refused token is an answer here, not an incident. */
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** 401/403/404 mean "not for you"; anything else (network, 5xx) means GitHub could not answer. */
const reasonOf = (error: unknown) => {
  const status = (error as { status?: unknown }).status;
  return status === 401 || status === 403 || status === 404 ? ("denied" as const) : ("unreachable" as const);
};

/**
 * The GitHub REST calls the API makes when a link or an installation is saved: with the link's
 * token (`GET /repos/:owner/:repo`), as the GitHub App (`GET /app/installations/:id`, JWT) and
 * as the admin's GitHub account (`GET /user/installations`, their user token).
 */
export function githubApi(options: { apiUrl: string; app?: { appId: string; privateKey: string } }): GithubApi {
  const { app } = options;
  return {
    repoAccess: async (fullName, token) => {
      const [owner = "", repo = ""] = fullName.split("/");
      const octokit = new Octokit({ baseUrl: options.apiUrl, auth: token, log: quiet });
      try {
        const { data } = await octokit.rest.repos.get({
          owner,
          repo,
          request: { signal: AbortSignal.timeout(TIMEOUT_MS) },
        });
        return {
          ok: true,
          id: data.id,
          fullName: data.full_name,
          push: data.permissions?.push === true,
          admin: data.permissions?.admin === true,
        };
      } catch (error) {
        return { ok: false, reason: reasonOf(error) };
      }
    },
    installation: app
      ? async (id) => {
          const octokit = new Octokit({
            baseUrl: options.apiUrl,
            authStrategy: createAppAuth,
            log: quiet,
            auth: { appId: app.appId, privateKey: app.privateKey },
          });
          try {
            const { data } = await octokit.rest.apps.getInstallation({
              installation_id: id,
              request: { signal: AbortSignal.timeout(TIMEOUT_MS) },
            });
            const account = data.account && "login" in data.account ? data.account.login : data.account?.name;
            return { ok: true, id: data.id, account: account ?? String(data.id) };
          } catch (error) {
            return { ok: false, reason: reasonOf(error) };
          }
        }
      : null,
    userInstallations: async (token) => {
      const octokit = new Octokit({ baseUrl: options.apiUrl, auth: token, log: quiet });
      try {
        const found = await octokit.paginate(octokit.rest.apps.listInstallationsForAuthenticatedUser, {
          per_page: 100,
          request: { signal: AbortSignal.timeout(TIMEOUT_MS) },
        });
        return { ok: true, ids: found.map((installation) => installation.id) };
      } catch (error) {
        return { ok: false, reason: reasonOf(error) };
      }
    },
  };
}
