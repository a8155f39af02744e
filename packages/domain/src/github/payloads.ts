import { z } from "zod";

/** The parts of GitHub webhook payloads the sync reads (the rest passes through untouched). */
export const ZGithubUser = z.object({ id: z.number(), login: z.string(), avatar_url: z.string().nullish() });
export const ZGithubLabel = z.object({ name: z.string(), color: z.string().nullish() });

export const ZGithubIssue = z.object({
  id: z.number(),
  number: z.number(),
  title: z.string(),
  body: z.string().nullish(),
  state: z.enum(["open", "closed"]),
  state_reason: z.string().nullish(),
  labels: z.array(ZGithubLabel).default([]),
  assignees: z.array(ZGithubUser).nullish(),
  updated_at: z.string(),
  pull_request: z.unknown().optional(),
});
export type TGithubIssue = z.infer<typeof ZGithubIssue>;

export const ZGithubPullRequest = z.object({
  id: z.number(),
  number: z.number(),
  title: z.string(),
  body: z.string().nullish(),
  state: z.enum(["open", "closed"]),
  merged: z.boolean().nullish(),
  merged_at: z.string().nullish(),
  updated_at: z.string(),
});
export type TGithubPullRequest = z.infer<typeof ZGithubPullRequest>;

export const ZGithubComment = z.object({
  id: z.number(),
  body: z.string().nullish(),
  user: ZGithubUser.nullish(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type TGithubComment = z.infer<typeof ZGithubComment>;

export const ZRepositoryRef = z.object({ id: z.number(), full_name: z.string() });
