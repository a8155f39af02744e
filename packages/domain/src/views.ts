import type { TCreateViewInput, TSavedView, TUpdateViewInput, TViewFilters } from "@tandem/contracts";
import { ZCreateViewInput } from "@tandem/contracts";
import {
  deleteViewRow,
  getProject,
  insertView,
  listViews as listViewRows,
  lockVisibleView,
  updateViewRow,
  type ViewRow,
} from "@tandem/database";
import { newId } from "@tandem/util";
import { actorId, assertPermission, defineMutation, defineQuery, type TxCtx } from "./context.ts";
import { forbidden, invalid, notFound } from "./errors.ts";
import { parseProjectRef } from "./projects/workflow.ts";
import { recordEvent } from "./record-event.ts";

export function toViewDto(row: ViewRow): TSavedView {
  return {
    id: row.id,
    orgId: row.orgId,
    projectId: row.projectId,
    ownerId: row.ownerId,
    name: row.name,
    filters: row.filters as TViewFilters,
    groupBy: row.groupBy,
    sort: (row.sort as TSavedView["sort"]) ?? null,
    layout: row.layout,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A shared view is the org's: making, changing or removing one takes tasks.edit. */
function assertMayShare(ctx: TxCtx): void {
  assertPermission(ctx, "tasks.edit");
}

/** A personal view belongs to a user; the GitHub sync and the system have none. */
function ownerOf(ctx: TxCtx): string {
  const userId = actorId(ctx);
  if (!userId) throw forbidden("Only a member can own a view");
  return userId;
}

async function projectIdOf(ctx: TxCtx, ref: string | null | undefined): Promise<string | null> {
  if (!ref) return null;
  const project = await getProject(ctx.tx, { orgId: ctx.org.id, ref: parseProjectRef(ref) });
  if (!project) throw invalid("projectId", "Unknown project");
  return project.id;
}

/** The caller's own views and the org's shared ones; never another member's personal views. */
export const listViews = defineQuery<void, TSavedView[]>("view.list", null, async ({ ctx }) =>
  (await listViewRows(ctx.db, { orgId: ctx.org.id, userId: actorId(ctx) })).map(toViewDto),
);

export const createView = defineMutation<TCreateViewInput, TSavedView>("view.create", null, async ({ ctx, input }) => {
  const parsed = ZCreateViewInput.parse(input);
  if (parsed.shared) assertMayShare(ctx);
  const row = await insertView(ctx.tx, {
    id: newId("view"),
    orgId: ctx.org.id,
    projectId: await projectIdOf(ctx, parsed.projectId),
    ownerId: parsed.shared ? null : ownerOf(ctx),
    name: parsed.name,
    filters: parsed.filters,
    groupBy: parsed.groupBy,
    sort: parsed.sort ?? null,
    layout: parsed.layout,
    createdBy: actorId(ctx),
  });
  const view = toViewDto(row);
  if (parsed.shared) await recordEvent(ctx, { type: "CREATE_VIEW", payload: { view } });
  return view;
});

async function loadVisible(ctx: TxCtx, id: string): Promise<ViewRow> {
  const row = await lockVisibleView(ctx.tx, { orgId: ctx.org.id, userId: actorId(ctx), id });
  if (!row) throw notFound("View");
  return row;
}

/**
 * Edits a view the caller can see. Shared views (and sharing or unsharing one) take tasks.edit;
 * the log hears of a view while it is shared: unsharing reads as its deletion.
 */
export const updateView = defineMutation<{ viewId: string; patch: TUpdateViewInput }, TSavedView>(
  "view.update",
  null,
  async ({ ctx, input }) => {
    const before = await loadVisible(ctx, input.viewId);
    const { shared, projectId, sort, ...rest } = input.patch;
    const wasShared = before.ownerId === null;
    const isShared = shared ?? wasShared;
    if (wasShared || isShared) assertMayShare(ctx);
    const row = await updateViewRow(ctx.tx, {
      orgId: ctx.org.id,
      id: before.id,
      values: {
        ...rest,
        ...(sort !== undefined ? { sort } : {}),
        ...(projectId !== undefined ? { projectId: await projectIdOf(ctx, projectId) } : {}),
        ...(isShared !== wasShared ? { ownerId: isShared ? null : ownerOf(ctx) } : {}),
      },
    });
    if (!row) throw notFound("View");
    const view = toViewDto(row);
    if (isShared) await recordEvent(ctx, { type: wasShared ? "UPDATE_VIEW" : "CREATE_VIEW", payload: { view } });
    else if (wasShared) await recordEvent(ctx, { type: "DELETE_VIEW", payload: { view: toViewDto(before) } });
    return view;
  },
);

export const deleteView = defineMutation<{ viewId: string }, TSavedView>(
  "view.delete",
  null,
  async ({ ctx, input }) => {
    const before = await loadVisible(ctx, input.viewId);
    if (before.ownerId === null) assertMayShare(ctx);
    await deleteViewRow(ctx.tx, { orgId: ctx.org.id, id: before.id });
    const view = toViewDto(before);
    if (before.ownerId === null) await recordEvent(ctx, { type: "DELETE_VIEW", payload: { view } });
    return view;
  },
);
