import { type Database, type SessionRead, systemReadSession } from "@tandem/database";
import type { Auth } from "./index.ts";

/** Reads the request's session (and, given an org, the membership there); null when signed out. */
export type SessionReader = (headers: Headers, orgId?: string | null) => Promise<SessionRead | null>;

const SIGNATURE_LENGTH = 44; // base64 of an HMAC-SHA-256, as Better Auth signs its cookies

function cookieValue(header: string, name: string): string | null {
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw.startsWith('"') ? raw.slice(1, -1) : raw);
    } catch {
      return null;
    }
  }
  return null;
}

function base64Bytes(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/**
 * The session path of every request in ONE prepared query (session + user + membership + org
 * seq), instead of Better Auth's getSession (several unprepared queries). The row is read on
 * every call, so sign-out, revocation and membership removal take effect at once. What the
 * fast path does not do, Better Auth does: an expired session (deleted there) and the daily
 * expiry extension go through `getSession`.
 */
export function sessionReader(auth: Auth, db: Database): SessionReader {
  const setup = (async () => {
    const context = await auth.$context;
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(context.secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["verify"],
    );
    const { expiresIn, updateAge } = context.sessionConfig;
    return { key, cookieName: context.authCookies.sessionToken.name, expiresIn, updateAge };
  })();

  return async (headers, orgId = null) => {
    const cookie = headers.get("cookie");
    if (!cookie) return null;
    const { key, cookieName, expiresIn, updateAge } = await setup;
    const signed = cookieValue(cookie, cookieName);
    const dot = signed?.lastIndexOf(".") ?? -1;
    if (!signed || dot < 1) return null;
    const token = signed.slice(0, dot);
    const signature = base64Bytes(signed.slice(dot + 1));
    if (signed.length - dot - 1 !== SIGNATURE_LENGTH || !signature) return null;
    if (!(await crypto.subtle.verify("HMAC", key, signature, new TextEncoder().encode(token)))) return null;

    const found = await systemReadSession(db, { token, orgId });
    if (!found) return null;
    const expiresAt = found.session.expiresAt.getTime();
    const refreshDue = expiresAt - expiresIn * 1000 + updateAge * 1000 <= Date.now();
    if (expiresAt > Date.now() && !refreshDue) return found;
    const full = await auth.api.getSession({ headers });
    if (!full) return null;
    return {
      ...found,
      session: { ...found.session, expiresAt: full.session.expiresAt, updatedAt: full.session.updatedAt },
    };
  };
}
