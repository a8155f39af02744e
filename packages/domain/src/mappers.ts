import type {
  TActivity,
  TComment,
  TInvite,
  TMember,
  TOrg,
  TPermission,
  TPublicOrg,
  TTag,
  TTask,
  TTeam,
} from "@tandem/contracts";
import type {
  CommentRow,
  InviteRow,
  listActivity,
  listMembers,
  listTeams,
  OrgRow,
  TagRow,
  TaskRow,
} from "@tandem/database";
import { formatTaskKey } from "@tandem/util";

const iso = (date: Date) => date.toISOString();

export function toOrgDto(row: OrgRow): TOrg {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    prefix: row.prefix,
    publicBoard: row.publicBoard,
    publicFields: row.publicFields as TOrg["publicFields"],
    createdBy: row.createdBy,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export function toPublicOrgDto(row: OrgRow): TPublicOrg {
  const { id, name, slug, prefix, publicFields } = toOrgDto(row);
  return { id, name, slug, prefix, publicFields };
}

/** `projectKey`: the key of the task's project (its key is `KEY-number`). */
export function toTaskDto(row: TaskRow, projectKey: string): TTask {
  return {
    id: row.id,
    orgId: row.orgId,
    projectId: row.projectId,
    number: row.number,
    key: formatTaskKey(projectKey, row.number),
    title: row.title,
    description: row.description,
    stateId: row.stateId,
    status: row.status,
    priority: row.priority,
    startDate: row.startDate,
    dueDate: row.dueDate,
    estimate: row.estimate,
    categoryId: row.categoryId,
    labelIds: row.labelIds,
    assigneeIds: row.assigneeIds,
    externalAssignees: row.externalAssignees,
    reviewState: row.reviewState ?? null,
    parentId: row.parentId,
    visibility: row.visibility,
    rank: row.rank,
    version: row.version,
    createdBy: row.createdBy,
    updatedBy: row.updatedBy,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export function toTagDto(row: TagRow): TTag {
  return { id: row.id, orgId: row.orgId, name: row.name, color: row.color, createdAt: iso(row.createdAt) };
}

export function toTeamDto(row: Awaited<ReturnType<typeof listTeams>>[number]): TTeam {
  return {
    id: row.id,
    orgId: row.orgId,
    name: row.name,
    permissions: row.permissions as TPermission[],
    memberIds: row.memberIds,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export function toMemberDto(row: Awaited<ReturnType<typeof listMembers>>[number]): TMember {
  return {
    userId: row.userId,
    name: row.name,
    email: row.email,
    image: row.image,
    teamIds: row.teamIds,
    joinedAt: iso(row.joinedAt),
  };
}

/** An invite as its events carry it: the admin channel never sees the code. */
export function withoutCode({ code, ...invite }: TInvite): Omit<TInvite, "code"> {
  return invite;
}

export function toInviteDto(row: InviteRow): TInvite {
  return {
    id: row.id,
    orgId: row.orgId,
    code: row.code,
    email: row.email,
    teamIds: row.teamIds,
    status: row.status,
    expiresAt: iso(row.expiresAt),
    createdAt: iso(row.createdAt),
  };
}

export function toCommentDto(row: CommentRow): TComment {
  return {
    id: row.id,
    orgId: row.orgId,
    taskId: row.taskId,
    authorId: row.authorId,
    externalAuthor: row.externalAuthor ?? null,
    body: row.body,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    editedAt: row.editedAt ? iso(row.editedAt) : null,
  };
}

export function toActivityDto(row: Awaited<ReturnType<typeof listActivity>>[number]): TActivity {
  return {
    id: row.id,
    taskId: row.taskId,
    actorId: row.actorId,
    actorType: row.actorType,
    actorKey: row.actorKey ?? null,
    action: row.action,
    changes: row.changes,
    createdAt: iso(row.createdAt),
  };
}
