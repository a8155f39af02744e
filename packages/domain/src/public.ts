import {
  PAGE_MAX_BYTES,
  PUBLIC_EXCERPT_CHARS,
  type TPublicBoard,
  type TPublicTask,
  type TPublicTaskPage,
  type TTask,
} from "@tandem/contracts";
import {
  getProject,
  getTask,
  listPublicAssignees,
  listPublicProjects,
  listTags,
  listTasks,
  type OrgRow,
  type ProjectRow,
  systemGetOrgBySlugWithSeq,
} from "@tandem/database";
import { traced } from "@tandem/opentelemetry";
import { parseTaskKey } from "@tandem/util";
import type { PublicCtx } from "./context.ts";
import { notFound } from "./errors.ts";
import { toPublicOrgDto, toTagDto, toTaskDto } from "./mappers.ts";
import { loadPublicStates, toPublicProjectDto } from "./public-projects.ts";
import { fitPage } from "./tasks/page.ts";
import { decodeCursor, encodeCursor } from "./tasks/read.ts";

/** Fields always shown on a public card; the org chooses which of the others are public. */
export type PublicTask = TPublicTask;

const FIELD_KEYS: Record<string, (keyof TTask)[]> = {
  description: ["description"],
  dates: ["startDate", "dueDate"],
  estimate: ["estimate"],
  priority: ["priority"],
  category: ["categoryId"],
  labels: ["labelIds"],
  assignees: ["assigneeIds"],
  parent: ["parentId"],
};

/**
 * Strips a task down to what an anonymous visitor may read. Its project and state always
 * show (the board's columns are the project's states), and so its `status`, which is only the
 * state's category: the `status` public field no longer hides anything.
 */
export function redactTask(task: TTask, publicFields: readonly string[]): PublicTask {
  const out: PublicTask = {
    id: task.id,
    key: task.key,
    number: task.number,
    title: task.title,
    projectId: task.projectId,
    stateId: task.stateId,
    status: task.status,
    rank: task.rank,
    version: task.version,
    visibility: task.visibility,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
  };
  for (const field of publicFields) {
    for (const key of FIELD_KEYS[field] ?? []) Object.assign(out, { [key]: task[key] });
  }
  return out;
}

/**
 * A public card: the redacted task with at most an excerpt of its description, so a list
 * page or a live event stays small whatever the descriptions weigh.
 */
export function redactCard(task: TTask, publicFields: readonly string[]): PublicTask {
  const card = redactTask(task, publicFields);
  if (card.description === undefined || card.description.length <= PUBLIC_EXCERPT_CHARS) return card;
  let excerpt = card.description.slice(0, PUBLIC_EXCERPT_CHARS);
  // Never end on half a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(excerpt)) excerpt = excerpt.slice(0, -1);
  return { ...card, description: excerpt, descriptionTruncated: true };
}

/** A published board: the org, its public project, and the seq its public responses are cached under. */
export type PublicBoard = { org: OrgRow; seq: number; project: ProjectRow };

/** A project shows publicly when its org allows public boards and it has one (and is not archived). */
const isPublic = (project: ProjectRow | undefined): project is ProjectRow =>
  project?.publicBoard === true && !project.archived;

/**
 * An org that allows public boards, by slug; one without is indistinguishable from a missing one.
 */
export function loadPublicOrg({ ctx: { db }, input }: { ctx: PublicCtx; input: { slug: string } }) {
  return traced("public.org-load", async () => {
    const found = await systemGetOrgBySlugWithSeq(db, { slug: input.slug });
    if (!found?.org.publicBoard) throw notFound("Board");
    return found;
  });
}

/**
 * A project's public board (`projectKey`), or without one the org's first public project's
 * (the address boards had before projects). A private project is indistinguishable from a
 * missing one.
 */
export function loadPublicBoard({
  ctx,
  input,
}: {
  ctx: PublicCtx;
  input: { slug: string; projectKey?: string | undefined };
}): Promise<PublicBoard> {
  return traced("public.board", async () => {
    const found = await loadPublicOrg({ ctx, input });
    const project = input.projectKey
      ? await getProject(ctx.db, { orgId: found.org.id, ref: { key: input.projectKey.toUpperCase() } })
      : (await listPublicProjects(ctx.db, { orgId: found.org.id }))[0];
    if (!isPublic(project) || (input.projectKey && project.key !== input.projectKey.toUpperCase())) {
      throw notFound("Board");
    }
    return { ...found, project };
  });
}

/** The org and the names its public fields refer to (labels, categories, assignees). */
export function getPublicOrg({
  ctx: { db },
  input: { board },
}: {
  ctx: PublicCtx;
  input: { board: PublicBoard };
}): Promise<TPublicBoard> {
  return traced("public.org", async () => {
    const { org, project } = board;
    const shows = (field: string) => project.publicFields.includes(field);
    const [labels, categories, people, states] = await Promise.all([
      shows("labels") ? listTags(db, { kind: "label", orgId: org.id }) : null,
      shows("category") ? listTags(db, { kind: "category", orgId: org.id }) : null,
      shows("assignees") ? listPublicAssignees(db, { orgId: org.id }) : null,
      loadPublicStates(db, project),
    ]);
    return {
      ...toPublicOrgDto(org),
      publicFields: project.publicFields as TPublicBoard["publicFields"],
      project: toPublicProjectDto(project),
      states,
      ...(labels ? { labels: labels.map(toTagDto) } : {}),
      ...(categories ? { categories: categories.map(toTagDto) } : {}),
      ...(people ? { people: people.map((p) => ({ id: p.id, name: p.name, image: p.image ?? null })) } : {}),
    };
  });
}

/**
 * One page of public cards in board order, at most `limit` and at most
 * PAGE_MAX_BYTES of JSON; `nextCursor` continues after the last card.
 */
export function listPublicTasks({
  ctx: { db },
  input: { board, cursor, limit },
}: {
  ctx: PublicCtx;
  input: { board: PublicBoard; cursor?: string | undefined; limit: number };
}): Promise<TPublicTaskPage> {
  return traced("public.tasks", async () => {
    const { org, project } = board;
    const rows = await listTasks(db, {
      orgId: org.id,
      filters: { visibility: "public", projectIds: [project.id] },
      cursor: cursor ? decodeCursor(cursor) : undefined,
      limit: limit + 1,
      // One more character than the excerpt, to know it was cut.
      descriptionChars: PUBLIC_EXCERPT_CHARS + 1,
    });
    const cards = rows.slice(0, limit).map((row) => ({
      row,
      card: redactCard(toTaskDto(row, project.key), project.publicFields),
    }));
    const page = fitPage(cards, (item) => item.card, PAGE_MAX_BYTES);
    const last = page.at(-1)?.row;
    const more = page.length < cards.length || rows.length > limit;
    return {
      tasks: page.map((item) => item.card),
      nextCursor: more && last ? encodeCursor(last) : null,
    };
  });
}

/** The whole public task, full description included (the read-only task view). */
export function getPublicTask({
  ctx: { db },
  input: { board, key },
}: {
  ctx: PublicCtx;
  input: { board: PublicBoard; key: string };
}): Promise<PublicTask> {
  return traced("public.task", async () => {
    const { org, project } = board;
    const parsed = parseTaskKey(key);
    if (parsed && parsed.prefix !== project.key) throw notFound("Task");
    const number = /^\d+$/.test(key) ? Number(key) : parsed?.number;
    if (!number || number > 2_147_483_647) throw notFound("Task");
    const row = await getTask(db, { orgId: org.id, ref: { projectKey: project.key, number } });
    if (row?.visibility !== "public") throw notFound("Task");
    return redactTask(toTaskDto(row, project.key), project.publicFields);
  });
}
