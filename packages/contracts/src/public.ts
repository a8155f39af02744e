import { z } from "zod";
import { ZTask } from "./task.ts";

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
