import { unavailable } from "./errors.ts";
import { DEFAULT_WEBHOOK_NETWORK, type WebhookNetwork } from "./webhooks/network.ts";

/** What the attachment verbs need of a storage backend (see @tandem/storage). */
export type BlobStore = {
  put(key: string, data: Uint8Array, contentType: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** A download link that works without a session until it expires (the export's attachments). */
  signedUrl(key: string, expiresSeconds: number): Promise<string>;
};
export type AttachmentLimits = { maxBytes: number; orgQuotaBytes: number };

/** What GitHub says a token may do in a repository (`GET /repos/:owner/:repo`). */
export type RepoAccess =
  | { ok: true; id: number; fullName: string; push: boolean; admin: boolean }
  | { ok: false; reason: "denied" | "unreachable" };

/** The GitHub calls the API makes (tests point them at a stand-in). */
export type GithubApi = {
  repoAccess: (fullName: string, token: string) => Promise<RepoAccess>;
  /** The App's installation as GitHub reports it to the App (JWT); null when no App is configured. */
  installation:
    | ((
        id: number,
      ) => Promise<{ ok: true; id: number; account: string } | { ok: false; reason: "denied" | "unreachable" }>)
    | null;
  /** The App's installations a GitHub user can access (`GET /user/installations`, their user token). */
  userInstallations: (
    token: string,
  ) => Promise<{ ok: true; ids: number[] } | { ok: false; reason: "denied" | "unreachable" }>;
};

/** Work handed to the worker through its queues. */
export type Enqueue = {
  /** Queues a linked repository's reconciliation. */
  resync: (data: { repoId: string }) => Promise<unknown>;
  /** One more attempt for a dead delivery's job; 0 when the queue no longer keeps that job. */
  retryDelivery: (deliveryId: string) => Promise<number>;
  /** Runs an import (the worker's durable job). */
  importData: (data: { orgId: string; importId: string }) => Promise<unknown>;
};

/** One e-mail (see @tandem/mail). */
export type OutgoingMail = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  link?: string;
};

/**
 * Mail the verbs send once their change has committed. `send` never throws: a failure is logged
 * by the implementation and does not undo what was committed.
 */
export type MailService = {
  /** The web app's origin, for the links in mails. */
  webOrigin: string;
  send: (mail: OutgoingMail) => Promise<void>;
};

/**
 * The infrastructure verbs use, in one typed object built once at the edge (the backend's
 * `composeBackend`, the worker's `startWorker`) and carried on every context as
 * `ctx.services`. Verb inputs carry only what the caller asked for, never infrastructure.
 */
export type Services = {
  /** Attachment files. */
  store: BlobStore;
  /** Per-file size and per-org quota of attachments. */
  limits: AttachmentLimits;
  /** Seals tokens and webhook secrets at rest; without it nothing can be linked. */
  encryptionKey: string | undefined;
  /** GitHub: the worker's public base URL (`${base}/webhooks/github/:linkId`) and GitHub's API. */
  github: { webhookBaseUrl: string; api: GithubApi };
  enqueue: Enqueue;
  mail: MailService;
  /** Signs and checks one-click unsubscribe links (the backend's session secret). */
  unsubscribeSecret: string;
  /** Outbound webhooks: the SSRF rule, the DNS resolver and the request deadline. */
  webhooks: WebhookNetwork;
};

const missing = (what: string) => () => Promise.reject(unavailable(`${what} is not available in this process`));

/**
 * Services for a process that has only some of them (the worker, the seed script, tests):
 * the parts given, and the rest refusing with UNAVAILABLE if a verb ever uses them.
 */
export function partialServices(given: Partial<Services> = {}): Services {
  return {
    store: { put: missing("File storage"), delete: missing("File storage"), signedUrl: missing("File storage") },
    limits: { maxBytes: 0, orgQuotaBytes: 0 },
    encryptionKey: undefined,
    github: {
      webhookBaseUrl: "http://localhost:5469",
      api: {
        repoAccess: missing("GitHub"),
        installation: null,
        userInstallations: missing("GitHub"),
      },
    },
    enqueue: {
      resync: missing("The job queue"),
      retryDelivery: missing("The job queue"),
      importData: missing("The job queue"),
    },
    // Nothing to send with: a verb's mail is dropped (the change it follows stands).
    mail: { webOrigin: "http://localhost:3000", send: () => Promise.resolve() },
    // A secret nobody else knows: links signed in this process work only here.
    unsubscribeSecret: crypto.randomUUID(),
    webhooks: DEFAULT_WEBHOOK_NETWORK,
    ...given,
  };
}
