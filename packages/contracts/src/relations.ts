import { z } from "zod";
import { TASK_STATUSES } from "./values.ts";

/**
 * One `blocks` relation of the org, as the board needs it to mark blocked cards without a
 * request per card: a card is blocked while one of its blockers is `active` (not done or
 * canceled).
 */
export const ZBlockingPair = z.object({
  id: z.string(),
  blockerId: z.string(),
  blockerKey: z.string(),
  blockerStatus: z.enum(TASK_STATUSES),
  blockedId: z.string(),
  blockedKey: z.string(),
  /** The blocker is unfinished: the blocked task is blocked by it. */
  active: z.boolean(),
});
export type TBlockingPair = z.infer<typeof ZBlockingPair>;

export const ZBlockingPairsQuery = z.strictObject({
  /** A project's id or key: only pairs whose blocked task is in it. */
  project: z.string().min(1).max(64).optional(),
});
export const ZBlockingPairs = z.object({ pairs: z.array(ZBlockingPair) });
export type TBlockingPairs = z.infer<typeof ZBlockingPairs>;
