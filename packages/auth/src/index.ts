import type { Database } from "@tandem/database";
import { schema } from "@tandem/database";
import type { Mailer } from "@tandem/mail";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { openAPI } from "better-auth/plugins";
import { emailVerificationOptions } from "./email-verification.ts";
import { passwordResetOptions } from "./password-reset.ts";
import { accountLockout, type Limit, rateLimitStorage } from "./sign-in-limits.ts";

export type { Limit } from "./sign-in-limits.ts";

/** Header the backend sets from the socket's peer address; never trusted from clients. */
export const CLIENT_IP_HEADER = "x-tandem-client-ip";

/** Defaults of the sign-in limits (AUTH_CREDENTIAL_LIMIT, AUTH_ACCOUNT_LIMIT). */
export const DEFAULT_CREDENTIAL_LIMIT: Limit = { window: 900, max: 100 };
export const DEFAULT_ACCOUNT_LIMIT: Limit = { window: 900, max: 5 };

export type AuthConfig = {
  db: Database;
  secret: string;
  baseURL: string;
  trustedOrigins: string[];
  github?: { clientId: string; clientSecret: string } | undefined;
  /** Sign-in and sign-up requests per client address (each path counted on its own). */
  credentialLimit?: Limit | undefined;
  /** Failed sign-ins per account, from any address, before it is locked for the window. */
  accountLimit?: Limit | undefined;
  secureCookies: boolean;
  /** Sends the verification e-mails; without it no address can be verified. */
  mailer?: Mailer | undefined;
  /** A session ended (sign-out, revocation, user deleted): close what still uses it. */
  onSessionRevoked?: (session: { id: string; userId: string }) => void | Promise<void>;
  /** Someone signed up with a registered address; they got the same answer as a new address. */
  onExistingUserSignUp?: (user: { id: string; email: string }) => void | Promise<void>;
};

export function createAuth(config: AuthConfig) {
  const credentialLimit = config.credentialLimit ?? DEFAULT_CREDENTIAL_LIMIT;
  const accountLimit = config.accountLimit ?? DEFAULT_ACCOUNT_LIMIT;
  const lockout = accountLockout(config.db, accountLimit);
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
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      // Sign-up never signs in: a registered address then gets the same 200 and body shape as
      // a new one (Better Auth answers with a synthetic user), so sign-up does not tell who
      // has an account. The client signs in after signing up.
      autoSignIn: false,
      onExistingUserSignUp: async ({ user }) => {
        await config.onExistingUserSignUp?.({ id: user.id, email: user.email });
      },
      ...passwordResetOptions(config.mailer),
    },
    emailVerification: emailVerificationOptions(config.mailer),
    socialProviders: config.github
      ? { github: { clientId: config.github.clientId, clientSecret: config.github.clientSecret } }
      : {},
    session: {
      expiresIn: 60 * 60 * 24 * 30,
      updateAge: 60 * 60 * 24,
      // No cookie cache: a signed session snapshot in a cookie would keep a signed-out or
      // revoked session usable until it expired. Every request reads the session row.
      cookieCache: { enabled: false },
    },
    databaseHooks: {
      session: {
        delete: {
          after: async (session) => {
            await config.onSessionRevoked?.({ id: session.id, userId: session.userId });
          },
        },
      },
    },
    hooks: { before: lockout.before, after: lockout.after },
    rateLimit: {
      enabled: true,
      customStorage: rateLimitStorage(config.db, Math.max(credentialLimit.window, accountLimit.window)),
      window: 60,
      max: 100,
      customRules: {
        "/sign-in/email": credentialLimit,
        "/sign-up/email": credentialLimit,
        "/request-password-reset": credentialLimit,
        "/reset-password": credentialLimit,
      },
    },
    advanced: {
      // Better Auth skips its origin and callback-URL checks when NODE_ENV is "test": keep them
      // on, so the tests see what production does.
      disableOriginCheck: false,
      useSecureCookies: config.secureCookies,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", secure: config.secureCookies },
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    telemetry: { enabled: false },
    // The backend merges these routes into its own OpenAPI document (`auth.api.generateOpenAPISchema`);
    // neither the plugin's own schema route nor its CDN-loaded reference page is served.
    plugins: [openAPI({ disableDefaultReference: true })],
    disabledPaths: ["/open-api/generate-schema", "/reference"],
  });
}

export type Auth = ReturnType<typeof createAuth>;
export type AuthSession = NonNullable<Awaited<ReturnType<Auth["api"]["getSession"]>>>;

/**
 * Makes a user and signs them in through the server API (sign-up alone does not sign in);
 * for the seed, tests and benchmarks. Returns the session cookie (`name=value`).
 */
export async function createUserWithSession(auth: Auth, body: { email: string; password: string; name: string }) {
  const { user } = await auth.api.signUpEmail({ body });
  const { headers } = await auth.api.signInEmail({
    body: { email: body.email, password: body.password },
    returnHeaders: true,
  });
  const cookie = (headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  if (!cookie) throw new Error("sign-in returned no session cookie");
  return { userId: user.id, cookie };
}

/**
 * The GitHub user access token of a user who signed in with GitHub (refreshed by Better Auth
 * when it expires), or null: no GitHub account linked, GitHub sign-in not configured, or the
 * token can no longer be had. Proof of who someone is on GitHub, e.g. to claim an installation.
 */
export async function githubAccessToken(auth: Auth, userId: string): Promise<string | null> {
  const context = await auth.$context;
  const account = (await context.internalAdapter.findAccounts(userId)).find((a) => a.providerId === "github");
  if (!account) return null;
  try {
    const tokens = await auth.api.getAccessToken({ body: { accountId: account.id, userId } });
    return tokens.accessToken ?? null;
  } catch {
    return null;
  }
}

export { type SessionReader, sessionReader } from "./session-reader.ts";
