import type { Database } from "@tandem/database";
import { schema } from "@tandem/database";
import type { Mailer } from "@tandem/mail";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { emailVerificationOptions } from "./email-verification.ts";

/** Header the backend sets from the socket's peer address; never trusted from clients. */
export const CLIENT_IP_HEADER = "x-tandem-client-ip";

export type AuthConfig = {
  db: Database;
  secret: string;
  baseURL: string;
  trustedOrigins: string[];
  github?: { clientId: string; clientSecret: string } | undefined;
  /** Limit on credential endpoints (sign-in, sign-up) per client address; Better Auth's default is 3 per 10 s. */
  credentialLimit?: { window: number; max: number } | undefined;
  secureCookies: boolean;
  /** Sends the verification e-mails; without it no address can be verified. */
  mailer?: Mailer | undefined;
};

export function createAuth(config: AuthConfig) {
  return betterAuth({
    database: drizzleAdapter(config.db, {
      provider: "pg",
      schema: {
        user: schema.user,
        session: schema.session,
        account: schema.account,
        verification: schema.verification,
        rateLimit: schema.rateLimit,
      },
    }),
    secret: config.secret,
    baseURL: config.baseURL,
    basePath: "/api/auth",
    trustedOrigins: config.trustedOrigins,
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128 },
    emailVerification: emailVerificationOptions(config.mailer),
    socialProviders: config.github
      ? { github: { clientId: config.github.clientId, clientSecret: config.github.clientSecret } }
      : {},
    session: {
      expiresIn: 60 * 60 * 24 * 30,
      updateAge: 60 * 60 * 24,
      // A signed snapshot of the session in a cookie spares a database read per request; a
      // session revoked elsewhere stays usable here for at most this long. Membership and
      // permissions are still read from the database on every request.
      cookieCache: { enabled: true, maxAge: 60 },
    },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 100,
      customRules: {
        "/sign-in/email": config.credentialLimit ?? { window: 10, max: 3 },
        "/sign-up/email": config.credentialLimit ?? { window: 10, max: 3 },
      },
    },
    advanced: {
      useSecureCookies: config.secureCookies,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", secure: config.secureCookies },
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    telemetry: { enabled: false },
  });
}

export type Auth = ReturnType<typeof createAuth>;
export type AuthSession = NonNullable<Awaited<ReturnType<Auth["api"]["getSession"]>>>;
