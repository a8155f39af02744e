import { z } from "zod";

/** UTF-16 surrogates without their pair (not valid UTF-8: Postgres refuses them). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A string Postgres can store: NUL (text cannot hold it) and lone surrogates removed. */
export const storable = (text: string): string => text.replaceAll("\0", "").replace(LONE_SURROGATE, "");

/**
 * Every string (and key) of a parsed JSON value made storable, so a signed payload with a NUL
 * or a lone surrogate is queued (jsonb refuses both) instead of failing the request.
 */
export function storableJson(value: unknown): unknown {
  if (typeof value === "string") return storable(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [storable(key), storableJson(inner)]));
  }
  return value;
}

/** The API's caps, applied to what GitHub sends: GitHub allows longer bodies than Tandem stores. */
export const GITHUB_TEXT_CAPS = { title: 500, description: 100_000, comment: 50_000, label: 60 } as const;

/** Cuts text over `max` characters, ending with a marker that says so (never mid-surrogate-pair). */
export function truncated(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = `\n\n… (truncated: the GitHub text is longer than ${max.toLocaleString("en")} characters)`;
  return storable(text.slice(0, max - marker.length)) + marker;
}

const body = (max: number) =>
  z
    .string()
    .nullish()
    .transform((text) => truncated(storable(text ?? ""), max));
const title = z.string().transform((text) => storable(text).trim().slice(0, GITHUB_TEXT_CAPS.title) || "(untitled)");
/** GitHub's timestamps; compared as strings, so only well-formed ones are taken. */
const timestamp = z.string().refine((text) => !Number.isNaN(Date.parse(text)), "not a timestamp");

/**
 * The parts of GitHub webhook payloads the sync reads (the rest passes through untouched).
 * Real payloads leave fields out (`issues.pinned` has no `state` or `labels`): a field that is
 * absent stays `undefined` and the sync leaves that part of the task alone. The worker checks
 * at compile time that `@octokit/webhooks`' payload types fit these schemas.
 */
export const ZGithubUser = z.object({
  id: z.number(),
  login: z.string().transform((login) => storable(login).slice(0, 100)),
  avatar_url: z
    .string()
    .nullish()
    .transform((url) => (url && url.length <= 2000 && /^https?:\/\//.test(url) ? storable(url) : null)),
});
export type TGithubUser = z.infer<typeof ZGithubUser>;

const labelName = z.string().transform((name) => storable(name).trim().slice(0, GITHUB_TEXT_CAPS.label));
const labelColor = z
  .string()
  .nullish()
  .transform((color) => (color && /^[0-9a-fA-F]{6}$/.test(color) ? color.toLowerCase() : null));
export const ZGithubLabel = z.object({ name: labelName, color: labelColor });
export type TGithubLabel = z.infer<typeof ZGithubLabel>;

const labels = z
  .array(ZGithubLabel.nullable())
  .optional()
  .transform((list) =>
    list?.filter((label): label is TGithubLabel => label !== null && label.name !== "").slice(0, 50),
  );
const users = z
  .array(ZGithubUser.nullable())
  .nullish()
  .transform((list) => list?.filter((user) => user !== null).slice(0, 50) ?? undefined);

export const ZGithubIssue = z.object({
  id: z.number(),
  number: z.number().int().positive(),
  title,
  body: body(GITHUB_TEXT_CAPS.description),
  state: z.enum(["open", "closed"]).optional(),
  state_reason: z.string().nullish(),
  labels,
  assignees: users,
  updated_at: timestamp,
  pull_request: z.unknown().optional(),
});
export type TGithubIssue = z.infer<typeof ZGithubIssue>;

export const ZGithubPullRequest = z.object({
  id: z.number(),
  number: z.number().int().positive(),
  title,
  body: body(GITHUB_TEXT_CAPS.description),
  state: z.enum(["open", "closed"]),
  merged: z.boolean().nullish(),
  merged_at: timestamp.nullish(),
  labels,
  assignees: users,
  updated_at: timestamp,
});
export type TGithubPullRequest = z.infer<typeof ZGithubPullRequest>;

export const ZGithubComment = z.object({
  id: z.number(),
  body: body(GITHUB_TEXT_CAPS.comment),
  user: ZGithubUser.nullish(),
  created_at: timestamp,
  updated_at: timestamp,
});
export type TGithubComment = z.infer<typeof ZGithubComment>;

/** A pull request review; `state` is GitHub's (approved, changes_requested, commented, dismissed…). */
export const ZGithubReview = z.object({
  id: z.number(),
  user: ZGithubUser.nullish(),
  state: z.string().transform((state) => state.toLowerCase()),
  submitted_at: timestamp.nullish(),
});
export type TGithubReview = z.infer<typeof ZGithubReview>;

/** A repository label (the `label` event): GitHub's id, and what a rename or recolour changed. */
export const ZGithubLabelEvent = z.object({
  label: z.object({ id: z.number(), name: labelName, color: labelColor }),
  changes: z
    .object({ name: z.object({ from: labelName }).optional(), color: z.object({ from: z.string() }).optional() })
    .optional(),
});
export type TGithubLabelEvent = z.infer<typeof ZGithubLabelEvent>;

export const ZRepositoryRef = z.object({ id: z.number(), full_name: z.string() });
