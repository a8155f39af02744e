// Server-only (node:crypto, process streams, Buffer): never imported by browser code.
export { DEV_ENCRYPTION_KEY, decryptSecret, encryptSecret } from "./crypto.ts";
export { encryptionKeyOrDev, parseEnv, withoutEmptyValues, ZEncryptionKey, ZLogLevel } from "./env.ts";
export { createLogger, type Logger } from "./logger.ts";
export { newToken } from "./token.ts";
