import type { TAttachment } from "@tandem/contracts";
import {
  type AttachmentRow,
  getAttachment,
  insertAttachment,
  listAttachments as listAttachmentRows,
  recordTaskEvent,
  releaseOrgStorage,
  reserveOrgStorage,
  softDeleteAttachment,
} from "@tandem/database";
import { traced } from "@tandem/opentelemetry";
import { newId } from "@tandem/util";
import { assertPermission, type Ctx, defineMutation, defineQuery } from "./context.ts";
import { invalid, notFound, tooLarge } from "./errors.ts";
import { toNewEvent } from "./record-event.ts";
import { activityRow, loadTask } from "./tasks/shared.ts";

const ALLOWED_TYPES = /^(image\/(png|jpeg|gif|webp|svg\+xml)|application\/(pdf|zip|json)|text\/(plain|markdown|csv))$/;

export function toAttachmentDto(row: AttachmentRow): TAttachment {
  return {
    id: row.id,
    taskId: row.taskId,
    filename: row.filename,
    contentType: row.contentType,
    size: row.size,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

type UploadInput = {
  taskId: string;
  filename: string;
  contentType: string;
  data: Uint8Array;
};

/**
 * Checks the limits, reserves the file's size in the org's quota (one conditional UPDATE, so
 * concurrent uploads cannot overshoot it), stores the file outside any transaction, then
 * records it (row, activity and event in one transaction). A failure after the reservation
 * gives the bytes back and removes whatever was stored.
 */
export function uploadAttachment({ ctx, input }: { ctx: Ctx; input: UploadInput }): Promise<TAttachment> {
  return traced(
    "attachment.upload",
    async () => {
      assertPermission(ctx, "tasks.edit");
      const { store, limits } = ctx.services;
      const bytes = input.data.byteLength;
      if (bytes > limits.maxBytes) throw tooLarge(`Files may be at most ${limits.maxBytes} bytes`);
      // "text/plain;charset=utf-8" is text/plain: the type is checked without its parameters.
      const contentType = (input.contentType.split(";")[0] ?? "").trim().toLowerCase();
      if (!ALLOWED_TYPES.test(contentType))
        throw invalid("file", `Files of type ${contentType || "unknown"} are not accepted`);
      const task = await loadTask(ctx, input.taskId);
      const quota = { orgId: ctx.org.id, bytes, quota: limits.orgQuotaBytes };
      if (!(await reserveOrgStorage(ctx.db, quota))) throw tooLarge("The organization's storage quota is used up");
      const id = newId("att");
      const storageKey = `orgs/${ctx.org.id}/tasks/${task.id}/${id}`;
      try {
        await store.put(storageKey, input.data, contentType);
        const record = { id, taskId: task.id, storageKey, filename: input.filename, contentType, bytes };
        return await recordAttachment({ ctx, input: record });
      } catch (error) {
        await store.delete(storageKey).catch(() => undefined);
        await releaseOrgStorage(ctx.db, { orgId: ctx.org.id, bytes });
        throw error;
      }
    },
    { "tandem.org_id": ctx.org.id },
  );
}

const recordAttachment = defineMutation<
  { id: string; taskId: string; storageKey: string; filename: string; contentType: string; bytes: number },
  TAttachment
>("attachment.record", "tasks.edit", async ({ ctx, input }) => {
  const task = await loadTask(ctx, input.taskId);
  const row = await insertAttachment(ctx.tx, {
    id: input.id,
    orgId: ctx.org.id,
    taskId: task.id,
    storageKey: input.storageKey,
    filename: input.filename.slice(0, 255),
    contentType: input.contentType,
    size: input.bytes,
    createdBy: ctx.actor.userId,
  });
  const attachment = toAttachmentDto(row);
  await recordTaskEvent(ctx.tx, {
    orgId: ctx.org.id,
    activity: activityRow(ctx, task.id, "attached", [{ field: "attachments", from: null, to: attachment.filename }]),
    event: toNewEvent(ctx, { type: "CREATE_ATTACHMENT", payload: { attachment } }),
  });
  return attachment;
});

export const listAttachments = defineQuery<{ taskId: string }, TAttachment[]>(
  "attachment.list",
  null,
  async ({ ctx, input }) => {
    const task = await loadTask(ctx, input.taskId);
    return (await listAttachmentRows(ctx.db, { orgId: ctx.org.id, taskId: task.id })).map(toAttachmentDto);
  },
);

/** The attachment row (with its storage key) for a member's download. */
export const findAttachment = defineQuery<{ taskId: string; attachmentId: string }, AttachmentRow>(
  "attachment.get",
  null,
  async ({ ctx, input }) => {
    const task = await loadTask(ctx, input.taskId);
    const row = await getAttachment(ctx.db, { orgId: ctx.org.id, taskId: task.id, id: input.attachmentId });
    if (!row) throw notFound("Attachment");
    return row;
  },
);

export const deleteAttachment = defineMutation<{ taskId: string; attachmentId: string }, TAttachment>(
  "attachment.delete",
  "tasks.edit",
  async ({ ctx, input }) => {
    const task = await loadTask(ctx, input.taskId);
    const row = await softDeleteAttachment(ctx.tx, { orgId: ctx.org.id, id: input.attachmentId });
    if (!row || row.taskId !== task.id) throw notFound("Attachment");
    await releaseOrgStorage(ctx.tx, { orgId: ctx.org.id, bytes: row.size });
    const attachment = toAttachmentDto(row);
    await recordTaskEvent(ctx.tx, {
      orgId: ctx.org.id,
      activity: activityRow(ctx, task.id, "detached", [{ field: "attachments", from: attachment.filename, to: null }]),
      event: toNewEvent(ctx, { type: "DELETE_ATTACHMENT", payload: { attachment } }),
    });
    await ctx.services.store.delete(row.storageKey);
    return attachment;
  },
);
