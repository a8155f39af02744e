/**
 * The GitHub side of bench/webhooks.ts: signing, verifying and example payloads.
 *
 * @octokit/webhooks and @octokit/webhooks-examples are dependencies of apps/worker only, so the
 * root package cannot import them by name. They are resolved from the worker's directory, which
 * also guarantees the benchmark signs and verifies with exactly the version the worker runs.
 */
import { fileURLToPath } from "node:url";

const WORKER_DIR = fileURLToPath(new URL("../apps/worker/", import.meta.url));

/** The part of @octokit/webhooks' `Webhooks` the benchmark uses. */
export type Signer = {
  sign(payload: string): Promise<string>;
  verify(payload: string, signature: string): Promise<boolean>;
};
type SignerClass = new (options: { secret: string }) => Signer;

export async function webhooksFor(secret: string): Promise<Signer> {
  const module = (await import(Bun.resolveSync("@octokit/webhooks", WORKER_DIR))) as { Webhooks?: SignerClass };
  if (typeof module.Webhooks !== "function") throw new Error("@octokit/webhooks has no Webhooks export");
  return new module.Webhooks({ secret });
}

type Json = Record<string, unknown>;
/** An `issues` payload: only the fields the benchmark rewrites are typed. */
export type IssuesPayload = Json & { action: string; repository: Json; issue: Json };

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null;

/** A real `issues` example of @octokit/webhooks-examples with `action`, deep-copied. */
export async function issuesExample(action: string): Promise<IssuesPayload> {
  const module = (await import(Bun.resolveSync("@octokit/webhooks-examples", WORKER_DIR))) as {
    default: { name: string; examples: unknown[] }[];
  };
  const group = module.default.find((entry) => entry.name === "issues");
  const found = group?.examples.find((payload) => isObject(payload) && payload.action === action);
  if (!isObject(found) || !isObject(found.repository) || !isObject(found.issue)) {
    throw new Error(`no usable example for issues.${action}`);
  }
  return structuredClone({ ...found, action, repository: found.repository, issue: found.issue });
}
