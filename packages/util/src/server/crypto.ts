import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Development only: lets `bun run dev` store repo tokens without setting ENCRYPTION_KEY.
 * Production never falls back to it.
 */
export const DEV_ENCRYPTION_KEY = "RUcDBuZBHMOCsyyfL2HK+JISTW1AmDRxZaDHv7nvWKw=";

/** AES-256-GCM with a 32-byte key given as base64; output `v1.<iv>.<tag>.<ciphertext>` (base64url). */
function keyFrom(base64Key: string): Buffer {
  const key = Buffer.from(base64Key, "base64");
  if (key.length !== 32) throw new Error("ENCRYPTION_KEY must be 32 bytes, base64-encoded");
  return key;
}

export function encryptSecret(plaintext: string, base64Key: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFrom(base64Key), iv);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), data]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

export function decryptSecret(sealed: string, base64Key: string): string {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || !data) throw new Error("Unrecognised sealed secret");
  const decipher = createDecipheriv("aes-256-gcm", keyFrom(base64Key), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}
