import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { githubMentionedLogins } from "@tandem/contracts";
import { schema } from "@tandem/database";
import { followNotifications } from "@tandem/domain";
import { addTestMember } from "@tandem/domain/testing";
import { eq } from "drizzle-orm";
import { deliver, example, linkedOrg, settled, startTestWorker, type WorkerHarness } from "./harness.ts";

/** SPEC §14: `@login` in a comment mirrored from GitHub notifies the member who signed in with that GitHub account. */
let h: WorkerHarness;
beforeAll(async () => {
  h = await startTestWorker();
});
afterAll(() => h.stop());

let nextGithubId = 880_000_000 + (Date.now() % 100_000) * 1_000;

/** A member of the org whose linked GitHub account is `githubId` (as signing in with GitHub makes it). */
async function githubMember(orgId: string, name: string) {
  const userId = `usr_${crypto.randomUUID()}`;
  const githubId = nextGithubId++;
  await h.handle.db.insert(schema.user).values({ id: userId, name, email: `${userId}@x.test` });
  await h.handle.db.insert(schema.account).values({
    id: `acc_${crypto.randomUUID()}`,
    userId,
    providerId: "github",
    accountId: String(githubId),
    createdAt: new Date(),
    updatedAt: new Date(),
  });
  await addTestMember(h.handle.db, { orgId, userId, permissions: [] });
  return { userId, githubId };
}

function commentPayload(repoName: string, body: string, sender: { id: number; login: string }) {
  const payload = example("issue_comment", "created");
  payload.repository.full_name = repoName;
  payload.sender = { ...payload.sender, ...sender };
  Object.assign(payload.issue, { pull_request: undefined, number: 31, updated_at: new Date().toISOString() });
  Object.assign(payload.comment, {
    id: Math.floor(Math.random() * 1e9),
    body,
    user: { ...payload.comment.user, ...sender },
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
  });
  return payload;
}

describe("GitHub mentions", () => {
  test("the logins a comment mentions: not in code, e-mail addresses or words", () => {
    expect(githubMentionedLogins("@Octo-Cat and @hubot, cc @octo-cat")).toEqual(["octo-cat", "hubot"]);
    expect(githubMentionedLogins("mail a@b.com, `@code`, ```\n@fenced\n```, @-bad, @bad-")).toEqual([]);
  });

  test("a mirrored comment mentioning a linked member's login notifies them; others nothing", async () => {
    const { org, repoName } = await linkedOrg(h.handle, "GHM");
    const mona = await githubMember(org.id, "Mona");
    const outsider = `usr_${crypto.randomUUID()}`;
    // Mona's login is learned from a signed delivery she sent (GitHub says who she is).
    const first = await deliver(
      h.worker,
      "issue_comment",
      commentPayload(repoName, "first!", { id: mona.githubId, login: "Mona-Lisa" }),
    );
    expect(await settled(h.handle, first.deliveryId)).toBe("processed");
    const stranger = { id: nextGithubId++, login: "stranger" };
    const mention = await deliver(
      h.worker,
      "issue_comment",
      commentPayload(repoName, "@mona-lisa can you look? also @stranger and @nobody", stranger),
    );
    expect(await settled(h.handle, mention.deliveryId)).toBe("processed");
    await followNotifications({ db: h.handle.db, collapseMs: 0, batchSize: 100, onInbox: () => {}, orgIds: [org.id] });
    const rows = await h.handle.db.select().from(schema.notification).where(eq(schema.notification.orgId, org.id));
    const mentioned = rows.filter((row) => row.kind === "mentioned");
    expect(mentioned.map((row) => row.userId)).toEqual([mona.userId]);
    expect(mentioned[0]?.summary).toContain("@stranger mentioned you in a comment");
    expect(rows.some((row) => row.userId === outsider)).toBe(false);
  });
});
