import type { Auth } from "@tandem/auth";
import type { TTaskPriority, TTaskStatus } from "@tandem/contracts";
import { type Database, getOrgAccess, systemGetOrgBySlug } from "@tandem/database";
import {
  createCategory,
  createLabel,
  createOrg,
  createTask,
  ignoreCommits,
  partialServices,
  updateOrg,
} from "@tandem/domain";
import type { Logger } from "@tandem/util/server";

export const DEMO_USER = { email: "demo@tandem.dev", password: "tandem-demo-1", name: "Demo User" } as const;
export const DEMO_ORG = { name: "Acme Robotics", slug: "demo", prefix: "DEMO" } as const;

const TITLES = [
  "Set up CI for the firmware repo",
  "Gripper torque calibration drifts after an hour",
  "Design the onboarding checklist",
  "Write the REST API quick start",
  "Dark mode for the dashboard",
  "Battery telemetry chart",
  "Export board as CSV",
  "Investigate flaky motion-planner test",
  "Add SSO for enterprise plans",
  "Reduce cold start of the simulator",
  "Keyboard shortcuts cheat sheet",
  "Rotate the staging database password",
  "Public roadmap page",
  "Fix timezone in weekly report e-mail",
  "Upgrade the vision model to v3",
  "Rate-limit the public API",
  "Spanish translation",
  "Customer interview notes: Q3",
  "Migrate image storage to S3",
  "Arm collision alerts in the mobile app",
  "Document the calibration procedure",
  "Audit log for admin actions",
  "Improve search relevance",
  "Crash when a robot goes offline mid-task",
  "Nightly backup verification",
  "Billing page shows the wrong currency",
  "Add webhooks for task events",
  "Accessibility pass on the board",
  "Load test the fleet API",
  "Retire the legacy v1 endpoints",
];
const STATUSES: TTaskStatus[] = ["backlog", "todo", "todo", "in_progress", "in_progress", "done"];
const PRIORITIES: TTaskPriority[] = ["none", "low", "medium", "high", "urgent"];

/** Demo data so a fresh install opens on a populated board. Idempotent: skips if present. */
export async function seedDemo({ db, auth, logger }: { db: Database; auth: Auth; logger: Logger }): Promise<void> {
  if (await systemGetOrgBySlug(db, { slug: DEMO_ORG.slug })) return;
  const { user } = await auth.api.signUpEmail({ body: { ...DEMO_USER } });
  // Seeded before the server starts: nobody is listening for these commits yet.
  // Seeding needs no infrastructure: no files, no GitHub, no queue.
  const base = { db, notify: ignoreCommits, services: partialServices() };
  const org = await createOrg({ ctx: { ...base, userId: user.id }, input: DEMO_ORG });
  const orgRow = await systemGetOrgBySlug(db, { slug: DEMO_ORG.slug });
  const access = await getOrgAccess(db, { orgId: org.id, userId: user.id });
  if (!orgRow || !access) throw new Error("demo org vanished while seeding");
  const actor = { type: "user" as const, userId: user.id, permissions: access.permissions };
  const ctx = { ...base, org: orgRow, actor };
  await updateOrg({ ctx, input: { publicBoard: true, publicFields: ["status", "priority", "labels", "description"] } });
  const labelIds = [];
  for (const [name, color] of [
    ["bug", "#ef4444"],
    ["feature", "#3b82f6"],
    ["docs", "#10b981"],
    ["design", "#a855f7"],
  ] as const) {
    labelIds.push((await createLabel({ ctx, input: { name, color } })).id);
  }
  const categoryIds = [];
  for (const [name, color] of [
    ["Platform", "#0ea5e9"],
    ["Robotics", "#f59e0b"],
    ["Growth", "#22c55e"],
  ] as const) {
    categoryIds.push((await createCategory({ ctx, input: { name, color } })).id);
  }
  for (const [index, title] of TITLES.entries()) {
    await createTask({
      ctx,
      input: {
        title,
        description: `Seeded demo task ${index + 1}. Edit me, drag me, comment on me.`,
        status: STATUSES[index % STATUSES.length],
        priority: PRIORITIES[(index * 3) % PRIORITIES.length],
        labelIds: [labelIds[index % labelIds.length] ?? ""].filter(Boolean),
        categoryId: categoryIds[index % categoryIds.length] ?? null,
        assigneeIds: index % 3 === 0 ? [user.id] : [],
        visibility: index % 4 === 3 ? "private" : "public",
      },
    });
  }
  logger.info("seeded demo org", { org: DEMO_ORG.slug, tasks: TITLES.length });
}
