export { DEV_ENCRYPTION_KEY, decryptSecret, encryptSecret } from "./crypto.ts";
export { type IdPrefix, newId, newToken } from "./ids.ts";
export { createLogger, type Logger } from "./logger.ts";
export { isValidRankOrder, rankAfter, rankBetween } from "./rank.ts";
export { formatTaskKey, parseTaskKey } from "./task-key.ts";
