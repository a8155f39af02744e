export * from "./api-keys.ts";
export * from "./attachments.ts";
export * from "./comments.ts";
export {
  type Actor,
  type BaseCtx,
  type CommitChange,
  type CommitNotifier,
  type Ctx,
  can,
  githubCtx,
  ignoreCommits,
  type PublicCtx,
  type TxCtx,
  type UserCtx,
  withTransaction,
} from "./context.ts";
export { DomainError, isUniqueViolation } from "./errors.ts";
export * from "./events.ts";
export { syncComment } from "./github/comments.ts";
export {
  claimGithubInstallation,
  listGithubInstallations,
  releaseGithubInstallation,
} from "./github/installations.ts";
export { syncIssue } from "./github/issues.ts";
export { syncLabel } from "./github/labels.ts";
export * from "./github/payloads.ts";
export { closingReferences, syncPullRequest, syncReview } from "./github/pull-requests.ts";
export {
  linkRepo,
  listDeliveries,
  listRepos,
  requestResync,
  retryDelivery,
  rotateWebhookSecret,
  type TDelivery,
  toRepoLinkDto,
  unlinkRepo,
  updateRepo,
} from "./github/repos.ts";
export * from "./invites.ts";
export * from "./mappers.ts";
export * from "./members.ts";
export {
  changeNotifications,
  getNotificationPreferences,
  getTaskSubscription,
  listNotifications,
  putNotificationPreferences,
  setTaskSubscription,
  toNotificationDto,
  unsubscribeByToken,
} from "./notifications/inbox.ts";
export {
  followNotifications,
  type MailerOptions,
  type NotifierOptions,
  notificationPath,
  sendDueEmails,
} from "./notifications/notifier.ts";
export { type DueReminderJob, remindersFor, sendDueReminder } from "./notifications/reminders.ts";
export { readUnsubscribeToken, unsubscribeToken } from "./notifications/unsubscribe.ts";
export { configureOrgWrites, DEFAULT_ORG_WRITE_LIMITS, type OrgWriteLimits } from "./org-writes.ts";
export * from "./orgs.ts";
export { toProjectDto, toProjectWithStatesDto, toStateDto } from "./projects/mappers.ts";
export { createProject, deleteProject, getProject, listProjects, updateProject } from "./projects/project-verbs.ts";
export { createState, deleteState, listStates, updateState } from "./projects/state-verbs.ts";
export * from "./public.ts";
export { listPublicProjectsOf, toPublicProjectDto } from "./public-projects.ts";
export { createRelation } from "./relations/create.ts";
export { listBlockingPairs, listRelations } from "./relations/read.ts";
export { deleteRelation } from "./relations/remove.ts";
export * from "./services.ts";
export * from "./tags.ts";
export { setTaskAssignees } from "./tasks/assignees.ts";
export { bulkUpdateTasks } from "./tasks/bulk.ts";
export { createTask } from "./tasks/create.ts";
export { deleteTask } from "./tasks/delete.ts";
export { moveTask } from "./tasks/move.ts";
export { getTask, getTaskActivity, listTasks } from "./tasks/read.ts";
export { updateTask } from "./tasks/update.ts";
export * from "./teams.ts";
export { CSV_COLUMNS, exportOrgJson, exportTasksCsv } from "./transfer/export.ts";
export { failDeadImport, noteImportAttemptFailed } from "./transfer/fail-import.ts";
export { getImportJob, listImportJobs, previewImport, startImport } from "./transfer/imports.ts";
export { csvHeader } from "./transfer/parse-csv.ts";
export { IMPORT_BATCH, runImport } from "./transfer/run-import.ts";
export { createView, deleteView, listViews, updateView } from "./views.ts";
export * from "./webhooks/index.ts";
