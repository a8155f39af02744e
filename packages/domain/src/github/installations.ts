import type { TGithubInstallation } from "@tandem/contracts";
import { claimInstallation, deleteInstallation, type InstallationRow, listInstallations } from "@tandem/database";
import { type Ctx, defineMutation, defineQuery } from "../context.ts";
import { conflict, forbidden, invalid, notFound } from "../errors.ts";
import type { GithubApi } from "../services.ts";

const toDto = (row: InstallationRow): TGithubInstallation => ({
  id: row.id,
  account: row.account,
  createdAt: row.createdAt.toISOString(),
});

export const listGithubInstallations = defineQuery<void, TGithubInstallation[]>(
  "github.installations.list",
  "admin.manageSettings",
  async ({ ctx }) => (await listInstallations(ctx.db, { orgId: ctx.org.id })).map(toDto),
);

type ClaimInput = {
  installationId: number;
  /** The claimer's GitHub user token (they signed in with GitHub); null when they have none. */
  userToken: string | null;
};

const unreachable = () => invalid("installationId", "GitHub could not be reached to check the installation; try again");

/**
 * The claimer controls the installation: their own GitHub account (the token from signing in
 * with GitHub) can access it. Knowing an installation's id proves nothing.
 */
async function proveAccess(api: GithubApi, input: ClaimInput, installationId: number): Promise<void> {
  if (!input.userToken) {
    throw forbidden(
      "Sign in with GitHub first: claiming an installation needs proof that your GitHub account can access it",
    );
  }
  const mine = await api.userInstallations(input.userToken);
  if (!mine.ok) {
    if (mine.reason === "unreachable") throw unreachable();
    throw forbidden("GitHub did not accept your GitHub sign-in any more: sign in with GitHub again");
  }
  if (!mine.ids.includes(installationId)) {
    throw forbidden(
      "Your GitHub account cannot access that installation: someone who manages it on GitHub must claim it",
    );
  }
}

/**
 * Asks GitHub, as the App, whether the installation exists, and, as the claimer, whether they
 * can access it (outside any transaction).
 */
const verifyInstallation = defineQuery<ClaimInput, { id: number; account: string }>(
  "github.installations.verify",
  "admin.manageSettings",
  async ({ ctx, input }) => {
    const { api } = ctx.services.github;
    if (!api.installation) {
      throw invalid("installationId", "The GitHub App is not configured on this server (GITHUB_APP_ID)");
    }
    const found = await api.installation(input.installationId);
    if (!found.ok) {
      if (found.reason === "unreachable") throw unreachable();
      throw invalid("installationId", "GitHub knows no installation of this App with that id");
    }
    await proveAccess(api, input, found.id);
    return { id: found.id, account: found.account };
  },
);

const storeClaim = defineMutation<{ id: number; account: string }, TGithubInstallation>(
  "github.installations.claim",
  "admin.manageSettings",
  async ({ ctx, input }) => {
    const row = await claimInstallation(ctx.tx, { ...input, orgId: ctx.org.id });
    if (!row) throw conflict("That installation belongs to another organisation");
    return toDto(row);
  },
);

/**
 * Claims a GitHub App installation for the org: App-mode deliveries (signed with the global
 * secret) are routed only by an installation id some org has claimed, and only to that org.
 * One installation belongs to one org, and only someone whose GitHub account can access it
 * may claim it.
 */
export async function claimGithubInstallation(args: { ctx: Ctx; input: ClaimInput }): Promise<TGithubInstallation> {
  const found = await verifyInstallation(args);
  return storeClaim({ ctx: args.ctx, input: found });
}

export const releaseGithubInstallation = defineMutation<{ installationId: number }, TGithubInstallation>(
  "github.installations.release",
  "admin.manageSettings",
  async ({ ctx, input }) => {
    const row = await deleteInstallation(ctx.tx, { orgId: ctx.org.id, id: input.installationId });
    if (!row) throw notFound("Installation");
    return toDto(row);
  },
);
