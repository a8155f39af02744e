// Browser-safe: the web app imports this entry. Node-only helpers live in `@tandem/util/server`.
export { type IdPrefix, newId } from "./ids.ts";
export { isValidRank, isValidRankOrder, MAX_RANK_LENGTH, rankAfter, rankBetween, rankTail } from "./rank.ts";
export { formatTaskKey, parseTaskKey } from "./task-key.ts";
