import { isSafeText, type TAttachmentUrl, UNSAFE_TEXT_MESSAGE, ZAttachment, ZAttachmentUrl } from "@tandem/contracts";
import { can, deleteAttachment, findAttachment, listAttachments, uploadAttachment } from "@tandem/domain";
import { verifyDownload } from "@tandem/storage";
import { Hono } from "hono";
import { z } from "zod";
import { doc, multipartBody } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import { ApiError } from "../http/errors.ts";
import { validate } from "../http/validate.ts";

const ZTaskParam = z.object({ taskId: z.string().min(1).max(64) });
const ZAttachmentParam = ZTaskParam.extend({ attachmentId: z.string().min(1).max(64) });
const SIGNED_URL_SECONDS = 300;

function fileResponse(body: Uint8Array<ArrayBuffer>, contentType: string, filename: string): Response {
  return new Response(body, {
    headers: {
      "content-type": contentType,
      // Never rendered inline from our origin: an uploaded HTML/SVG must not run as our page.
      "content-disposition": `${contentType.startsWith("image/") && contentType !== "image/svg+xml" ? "inline" : "attachment"}; filename="${encodeURIComponent(filename)}"`,
      "x-content-type-options": "nosniff",
      "cache-control": "private, max-age=300",
    },
  });
}

/** `/orgs/:orgId/tasks/:taskId/attachments`: upload (multipart `file`), list, download, signed URL, delete. */
export const attachmentRoutes = new Hono<AppEnv>()
  .get(
    "/",
    doc({ tag: "Attachments", summary: "List a task's attachments", access: "member", response: z.array(ZAttachment) }),
    validate("param", ZTaskParam),
    async (c) => c.json(await listAttachments({ ctx: c.var.ctx, input: c.req.valid("param") })),
  )
  .post(
    "/",
    doc({
      tag: "Attachments",
      summary: "Upload a file (multipart field `file`)",
      description: "413 past the per-file limit or the org's storage quota.",
      access: "tasks.edit",
      response: ZAttachment,
      status: 201,
      requestBody: multipartBody(
        { file: { type: "string", format: "binary", description: "The file; its name and type are kept" } },
        ["file"],
      ),
    }),
    validate("param", ZTaskParam),
    async (c) => {
      // Refuse before reading a possibly large body.
      if (!can(c.var.ctx, "tasks.edit")) throw new ApiError("FORBIDDEN", "Missing permission tasks.edit");
      const form = await c.req.formData().catch(() => {
        throw new ApiError("BAD_REQUEST", "Expected multipart/form-data with a `file` field", { field: "file" });
      });
      const file = form.get("file");
      if (!(file instanceof File)) throw new ApiError("BAD_REQUEST", "Expected a `file` field", { field: "file" });
      if (!isSafeText(file.name) || !isSafeText(file.type))
        throw new ApiError("BAD_REQUEST", `file: the name ${UNSAFE_TEXT_MESSAGE}`, { field: "file" });
      const attachment = await uploadAttachment({
        ctx: c.var.ctx,
        input: {
          taskId: c.req.valid("param").taskId,
          filename: file.name || "file",
          contentType: file.type || "application/octet-stream",
          data: new Uint8Array(await file.arrayBuffer()),
        },
      });
      return c.json(attachment, 201);
    },
  )
  .get(
    "/:attachmentId/download",
    doc({ tag: "Attachments", summary: "Download an attachment", access: "member", response: "file" }),
    validate("param", ZAttachmentParam),
    async (c) => {
      const row = await findAttachment({ ctx: c.var.ctx, input: c.req.valid("param") });
      const body = await c.var.deps.storage.get(row.storageKey);
      if (!body) throw new ApiError("NOT_FOUND", "Attachment not found");
      return fileResponse(body, row.contentType, row.filename);
    },
  )
  .get(
    "/:attachmentId/url",
    doc({
      tag: "Attachments",
      summary: "A short-lived signed download URL",
      access: "member",
      response: ZAttachmentUrl,
    }),
    validate("param", ZAttachmentParam),
    async (c) => {
      const row = await findAttachment({ ctx: c.var.ctx, input: c.req.valid("param") });
      return c.json({
        url: await c.var.deps.storage.signedUrl(row.storageKey, SIGNED_URL_SECONDS),
        expiresIn: SIGNED_URL_SECONDS,
      } satisfies TAttachmentUrl);
    },
  )
  .delete(
    "/:attachmentId",
    doc({ tag: "Attachments", summary: "Delete an attachment", access: "tasks.edit", response: ZAttachment }),
    validate("param", ZAttachmentParam),
    async (c) => c.json(await deleteAttachment({ ctx: c.var.ctx, input: c.req.valid("param") })),
  );

/** `GET /api/files/signed`: a local-disk signed URL, valid without a session until it expires. */
export const signedFileRoutes = new Hono<AppEnv>().get(
  "/signed",
  doc({
    tag: "Attachments",
    summary: "Fetch a file through a signed URL",
    description: "The signature is the permission: a wrong or expired one is 403 for everyone.",
    access: "anyone",
    response: "file",
    errors: [403, 404],
  }),
  validate(
    "query",
    z.object({ key: z.string().min(1).max(300), expires: z.coerce.number().int(), sig: z.string().min(1).max(100) }),
  ),
  async (c) => {
    const { key, expires, sig } = c.req.valid("query");
    if (!verifyDownload(c.var.deps.signingSecret, key, expires, sig))
      throw new ApiError("FORBIDDEN", "Invalid or expired link");
    const body = await c.var.deps.storage.get(key);
    if (!body) throw new ApiError("NOT_FOUND", "File not found");
    return fileResponse(body, "application/octet-stream", key.split("/").at(-1) ?? "file");
  },
);
