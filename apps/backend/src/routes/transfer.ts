import {
  findUnsafeText,
  isSafeText,
  UNSAFE_TEXT_MESSAGE,
  ZCsvMapping,
  ZExportQuery,
  ZImport,
  ZImportFormat,
  ZImportPreview,
} from "@tandem/contracts";
import {
  can,
  exportOrgJson,
  exportTasksCsv,
  getImportJob,
  listImportJobs,
  previewImport,
  startImport,
} from "@tandem/domain";
import { Hono } from "hono";
import { z } from "zod";
import { doc, multipartBody } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import { ApiError } from "../http/errors.ts";
import { validate } from "../http/validate.ts";

/** Text chunks as a response body, pulled one at a time (the client's pace sets the reads'). */
function streamOf(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/** `GET /orgs/:orgId/export`: the whole org (JSON) or its tasks (CSV), streamed. */
export const exportRoutes = new Hono<AppEnv>().get(
  "/",
  doc({
    tag: "Import and export",
    summary: "Export the org (format=json) or its tasks (format=csv), streamed",
    description:
      "JSON: projects with their states, labels, categories, members (id, e-mail, name), tasks, comments, activity, relations and attachments as signed links valid for a day. Importing it into an empty org reproduces it. CSV: the tasks, of one project with `project` (id or key).",
    access: "admin.administrator",
    response: "file",
  }),
  validate("query", ZExportQuery),
  async (c) => {
    const { format, project } = c.req.valid("query");
    const ctx = c.var.ctx;
    const day = new Date().toISOString().slice(0, 10);
    const chunks = format === "csv" ? await exportTasksCsv({ ctx, project }) : exportOrgJson({ ctx });
    return new Response(streamOf(chunks), {
      headers: {
        "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="${ctx.org.slug}-${day}.${format}"`,
        "cache-control": "no-store",
      },
    });
  },
);

const ZImportParam = z.object({ importId: z.string().min(1).max(64) });
const ZImportForm = z.object({
  format: ZImportFormat,
  mapping: z
    .string()
    .optional()
    .transform((raw, context) => {
      if (raw === undefined || raw === "") return undefined;
      try {
        const parsed = ZCsvMapping.safeParse(JSON.parse(raw));
        if (parsed.success) return parsed.data;
      } catch {}
      context.addIssue({
        code: "custom",
        message: "mapping: a JSON object naming the column of each field",
        path: ["mapping"],
      });
      return z.NEVER;
    }),
  dryRun: z.enum(["true", "false"]).optional(),
  project: z.string().min(1).max(64).optional(),
});

/** `/orgs/:orgId/imports`: upload a file to import (or preview it), follow an import. */
export const importRoutes = new Hono<AppEnv>()
  .get(
    "/",
    doc({
      tag: "Import and export",
      summary: "The org's recent imports",
      access: "admin.administrator",
      response: z.array(ZImport),
    }),
    async (c) => c.json(await listImportJobs({ ctx: c.var.ctx, input: undefined })),
  )
  .post(
    "/",
    doc({
      tag: "Import and export",
      summary: "Import a Tandem export, a CSV file or a Trello board (multipart)",
      description:
        "Fields: `file`, `format` (tandem | csv | trello), `mapping` (CSV: JSON naming the column of title, description, status, priority, labels, assignees), `project` (id or key: where the tasks go; a Tandem export's own projects take theirs; default: the first project) and `dryRun`. A dry run answers 200 with what would be created; otherwise 202 with the import, which a durable job runs (progress: `GET …/imports/:importId` and UPDATE_IMPORT events on the admin channel).",
      access: "admin.administrator",
      response: ZImport,
      status: 202,
      errors: [413],
      requestBody: multipartBody(
        {
          file: { type: "string", format: "binary" },
          format: { type: "string", enum: ["tandem", "csv", "trello"] },
          mapping: { type: "string", description: "CSV only: JSON object, field → column header" },
          dryRun: { type: "string", enum: ["true", "false"] },
          project: { type: "string", description: "Id or key of the project the tasks go to" },
        },
        ["file", "format"],
      ),
    }),
    async (c) => {
      const ctx = c.var.ctx;
      // Refuse before reading a possibly large body.
      if (!can(ctx, "admin.administrator")) throw new ApiError("FORBIDDEN", "Missing permission admin.administrator");
      const form = await c.req.formData().catch(() => {
        throw new ApiError("BAD_REQUEST", "Expected multipart/form-data with `file` and `format`", { field: "file" });
      });
      const file = form.get("file");
      if (!(file instanceof File)) throw new ApiError("BAD_REQUEST", "Expected a `file` field", { field: "file" });
      // The body limit leaves room for the form around the file; the file itself gets the exact limit.
      const maxBytes = c.var.deps.importMaxBytes;
      if (file.size > maxBytes)
        throw new ApiError("PAYLOAD_TOO_LARGE", `Import files may be at most ${maxBytes} bytes`);
      const fields = ZImportForm.safeParse({
        format: form.get("format") ?? undefined,
        mapping: form.get("mapping") ?? undefined,
        dryRun: form.get("dryRun") ?? c.req.query("dryRun") ?? undefined,
        project: form.get("project") || undefined,
      });
      if (!fields.success) {
        const issue = fields.error.issues[0];
        const field = String(issue?.path[0] ?? "format");
        throw new ApiError("BAD_REQUEST", `${field}: ${issue?.message ?? "invalid"}`, { field });
      }
      const text = await file.text();
      if (!isSafeText(text) || !isSafeText(file.name))
        throw new ApiError("BAD_REQUEST", `file: ${UNSAFE_TEXT_MESSAGE}`, { field: "file" });
      const input = {
        format: fields.data.format,
        filename: file.name || "import",
        text,
        mapping: fields.data.mapping,
        project: fields.data.project,
      };
      if (fields.data.dryRun === "true") {
        const preview = await previewImport({ ctx, input });
        if (findUnsafeText(preview) !== null)
          throw new ApiError("BAD_REQUEST", `file: ${UNSAFE_TEXT_MESSAGE}`, { field: "file" });
        return c.json(ZImportPreview.parse(preview), 200);
      }
      return c.json(await startImport({ ctx, input }), 202);
    },
  )
  .get(
    "/:importId",
    doc({
      tag: "Import and export",
      summary: "An import's progress and outcome",
      access: "admin.administrator",
      response: ZImport,
    }),
    validate("param", ZImportParam),
    async (c) => c.json(await getImportJob({ ctx: c.var.ctx, input: c.req.valid("param") })),
  );
