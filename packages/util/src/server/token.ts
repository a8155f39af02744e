/** Random secret token, e.g. an invite code. */
export function newToken(bytes = 18): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("base64url");
}
