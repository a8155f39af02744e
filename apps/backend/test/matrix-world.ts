import {
  createApiKey,
  createCategory,
  createComment,
  createInvite,
  createLabel,
  createProject,
  createRelation,
  createState,
  createTeam,
  createView,
  createWebhook,
  DEFAULT_WEBHOOK_NETWORK,
  getProject,
  linkRepo,
  pingWebhook,
  updateOrg,
} from "@tandem/domain";
import { addTestMember, createTestOrg, createTestTask, NO_GITHUB, systemCtx } from "@tandem/domain/testing";
import { TEST_ENCRYPTION_KEY, type TestBackend, type TestUser } from "./harness.ts";
import type { World } from "./permission-matrix.ts";

/** A fresh org for one role: owner, victim member, task, comment, label, category, team, invite. */
export async function buildWorld(backend: TestBackend, owner: TestUser, victim: TestUser): Promise<World> {
  const { db } = backend;
  const org = await createTestOrg(db, { ownerId: owner.id, prefix: "MAT" });
  const other = await createTestOrg(db, { ownerId: owner.id, prefix: "OTH" });
  await addTestMember(db, { orgId: org.id, userId: victim.id, permissions: [] });
  const ctx = await systemCtx(db, org.id, {
    services: {
      encryptionKey: TEST_ENCRYPTION_KEY,
      github: {
        webhookBaseUrl: "http://worker.test",
        api: NO_GITHUB,
      },
      webhooks: { ...DEFAULT_WEBHOOK_NETWORK, allowPrivateNetworks: true, timeoutMs: 5000 },
    },
  });
  await updateOrg({ ctx, input: { publicBoard: true } });
  const task = await createTestTask(db, org.id, { visibility: "public", status: "todo" });
  const ownerCtx = {
    ...ctx,
    actor: { type: "user" as const, userId: owner.id, permissions: new Set(["admin.administrator"]) },
  };
  const otherTask = await createTestTask(db, org.id, { visibility: "private", status: "todo" });
  const relation = await createRelation({
    ctx: ownerCtx,
    input: { taskId: task.id, relation: { type: "blocks", taskId: otherTask.id } },
  });
  const view = await createView({ ctx: ownerCtx, input: { name: "Shared board", shared: true } });
  const comment = await createComment({ ctx: ownerCtx, input: { taskId: task.id, body: "Owner's comment" } });
  const label = await createLabel({ ctx, input: { name: "bug", color: "#ff0000" } });
  const category = await createCategory({ ctx, input: { name: "Backend", color: "#00ff00" } });
  const team = await createTeam({ ctx, input: { name: "Target team", permissions: [] } });
  const invite = await createInvite({ ctx: ownerCtx, input: { expiresInDays: 7 } });
  const key = await createApiKey({ ctx: ownerCtx, input: { name: "Matrix key", permissions: [], expiresAt: null } });
  const repo = await linkRepo({ ctx, input: { fullName: `octo/${crypto.randomUUID().slice(0, 8)}` } });
  const project = await getProject({ ctx, input: { projectId: "MAT" } });
  const spareProject = await createProject({ ctx, input: { name: "Spare", key: "SPARE" } });
  const spareState = await createState({
    ctx,
    input: { projectId: project.id, state: { name: "Spare", category: "started" } },
  });
  const webhookUrl = `${backend.url}/health`;
  const webhook = await createWebhook({
    ctx: ownerCtx,
    input: { url: webhookUrl, events: ["*"], projectId: null, enabled: true },
  });
  const delivery = await pingWebhook({ ctx: ownerCtx, input: { webhookId: webhook.webhook.id } });
  const otherInvite = await createInvite({
    ctx: { ...ownerCtx, org: (await systemCtx(db, other.id)).org },
    input: { expiresInDays: 7 },
  });
  const form = new FormData();
  form.set("file", new File(["matrix"], "matrix.txt", { type: "text/plain" }));
  const uploaded = await fetch(`${backend.url}/api/orgs/${org.id}/tasks/${task.id}/attachments`, {
    method: "POST",
    headers: { cookie: owner.cookie },
    body: form,
  });
  const attachment = (await uploaded.json()) as { id: string };
  if (!uploaded.ok) throw new Error(`world upload failed: ${JSON.stringify(attachment)}`);
  return {
    orgId: org.id,
    slug: org.slug,
    taskId: task.id,
    taskNumber: task.number,
    taskKey: task.key,
    commentId: comment.id,
    labelId: label.id,
    categoryId: category.id,
    teamId: team.id,
    inviteId: invite.id,
    otherOrgInviteCode: otherInvite.code,
    victimUserId: victim.id,
    ownerId: owner.id,
    repoId: repo.id,
    attachmentId: attachment.id,
    apiKeyId: key.apiKey.id,
    webhookId: webhook.webhook.id,
    webhookDeliveryId: delivery.id,
    webhookUrl,
    projectKey: project.key,
    stateId: project.states[0]?.id ?? "",
    spareProjectId: spareProject.id,
    spareStateId: spareState.id,
    otherTaskId: otherTask.id,
    relationId: relation.id,
    viewId: view.id,
  };
}
