import type { TGithubInstallation } from "@tandem/contracts";
import { claimInstallation, deleteInstallation, type InstallationRow, listInstallations } from "@tandem/database";
import { defineMutation, defineQuery } from "../context.ts";
import { conflict, invalid, notFound } from "../errors.ts";
import type { GithubApi } from "./repos.ts";

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

/** Asks GitHub, as the App, whether the installation exists (outside any transaction). */
const verifyInstallation = defineQuery<{ installationId: number; api: GithubApi }, { id: number; account: string }>(
  "github.installations.verify",
  "admin.manageSettings",
  async ({ input }) => {
    if (!input.api.installation) {
      throw invalid("installationId", "The GitHub App is not configured on this server (GITHUB_APP_ID)");
    }
    const found = await input.api.installation(input.installationId);
    if (found.ok) return { id: found.id, account: found.account };
    throw invalid(
      "installationId",
      found.reason === "unreachable"
        ? "GitHub could not be reached to check the installation; try again"
        : "GitHub knows no installation of this App with that id",
    );
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
 * One installation belongs to one org.
 */
export async function claimGithubInstallation(args: {
  ctx: Parameters<typeof verifyInstallation>[0]["ctx"];
  input: { installationId: number; api: GithubApi };
}): Promise<TGithubInstallation> {
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
