import { z } from "zod";
import { type TPublicOrg, ZPublicOrg } from "./org.ts";
import { ZProject, ZWorkflowState } from "./projects.ts";
import { ZTask } from "./task.ts";
import { type TTag, ZTag } from "./taxonomy.ts";

/** A task list page (public or members') never exceeds this many bytes: it holds fewer tasks first. */
export const PAGE_MAX_BYTES = 1_000_000;
/** Characters of a description a public list or live event carries; the task route has it all. */
export const PUBLIC_EXCERPT_CHARS = 280;

/**
 * A task as an anonymous visitor sees it: the always-public fields plus the org's chosen
 * ones. In lists and live events the description is an excerpt (`descriptionTruncated`).
 */
export const ZPublicTask = ZTask.partial().extend({
  id: z.string(),
  key: z.string(),
  number: z.number().int(),
  title: z.string(),
  rank: z.string(),
  version: z.number().int(),
  descriptionTruncated: z.boolean().optional(),
});
export type TPublicTask = z.infer<typeof ZPublicTask>;

export const ZPublicTasksQuery = z.strictObject({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(100),
});
export type TPublicTasksQuery = z.infer<typeof ZPublicTasksQuery>;

export const ZPublicTaskPage = z.object({ tasks: z.array(ZPublicTask), nextCursor: z.string().nullable() });
export type TPublicTaskPage = z.infer<typeof ZPublicTaskPage>;

/** A public project as a visitor sees it: no settings beyond the fields its board shows. */
export const ZPublicProject = ZProject.pick({
  id: true,
  key: true,
  name: true,
  description: true,
  color: true,
  icon: true,
  publicFields: true,
  position: true,
});
export type TPublicProject = z.infer<typeof ZPublicProject>;

/** `/p/:orgSlug`: the org's public face and its public projects, in position order. */
export const ZPublicProjectList = z.object({ org: ZPublicOrg, projects: z.array(ZPublicProject) });
export type TPublicProjectList = z.infer<typeof ZPublicProjectList>;

/**
 * The public board's header: the org (its `publicFields` are the board's project's), the
 * project and its workflow (the columns), plus what its public fields need to be shown — label
 * and category names when those fields are public, and the names (never e-mails) of the
 * people assigned to public tasks when assignees are.
 */
export const ZPublicBoard = ZPublicOrg.extend({
  project: ZPublicProject,
  states: z.array(ZWorkflowState),
  labels: z.array(ZTag).optional(),
  categories: z.array(ZTag).optional(),
  people: z.array(z.object({ id: z.string(), name: z.string(), image: z.string().nullable() })).optional(),
});
export type TPublicBoard = z.infer<typeof ZPublicBoard>;

/**
 * What the public channel carries of an event: tasks redacted to the public fields (a task
 * that left the board is a DELETE_TASK with its id and key only), labels and categories
 * when those fields are public, and the org's public face. Every other event stays private.
 */
export type TPublicEventPayloads = {
  CREATE_TASK: { task: TPublicTask };
  UPDATE_TASK: { task: TPublicTask };
  DELETE_TASK: { task: Pick<TPublicTask, "id" | "key" | "number"> };
  CREATE_LABEL: { label: TTag };
  UPDATE_LABEL: { label: TTag };
  DELETE_LABEL: { label: TTag };
  CREATE_CATEGORY: { category: TTag };
  UPDATE_CATEGORY: { category: TTag };
  DELETE_CATEGORY: { category: TTag };
  UPDATE_ORG: { org: TPublicOrg };
  DELETE_ORG: { org: { id: string } };
};
export type TPublicEventType = keyof TPublicEventPayloads;
