import type { TAttachment } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { toast } from "@tandem/ui/components/toaster";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ChangeEvent, useRef } from "react";
import { unwrap } from "../lib/api.ts";
import { useServices } from "../lib/app-context.tsx";
import { keys } from "../lib/queries.ts";
import { PermissionButton } from "./permission-button.tsx";

/** A task's files: image previews, downloads, upload (multipart) and delete. */
export function Attachments({ orgId, taskId, canEdit }: { orgId: string; taskId: string; canEdit: boolean }) {
  const { api, apiUrl } = useServices();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const routes = api.api.orgs[":orgId"].tasks[":taskId"].attachments;
  const files = useQuery({
    queryKey: keys.attachments(orgId, taskId),
    queryFn: () => unwrap(routes.$get({ param: { orgId, taskId } })),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.attachments(orgId, taskId) });
  const upload = useMutation({
    mutationFn: async (file: File) => {
      const form = new FormData();
      form.set("file", file);
      const response = await fetch(`${apiUrl}/api/orgs/${orgId}/tasks/${taskId}/attachments`, {
        method: "POST",
        body: form,
        credentials: "include",
      });
      if (!response.ok)
        throw new Error(
          ((await response.json()) as { error?: { message?: string } }).error?.message ?? "Upload failed",
        );
    },
    onSuccess: refresh,
    onError: (error) => toast.error(error.message),
  });
  const remove = useMutation({
    mutationFn: (attachment: TAttachment) =>
      unwrap(routes[":attachmentId"].$delete({ param: { orgId, taskId, attachmentId: attachment.id } })),
    onSuccess: refresh,
    onError: (error) => toast.error(error.message),
  });
  const href = (attachment: TAttachment) =>
    `${apiUrl}/api/orgs/${orgId}/tasks/${taskId}/attachments/${attachment.id}/download`;
  return (
    <section aria-label="Attachments" className="space-y-2">
      <h3 className="text-sm font-semibold">Attachments</h3>
      <ul className="grid grid-cols-2 gap-2 sm:grid-cols-3">
        {files.data?.map((attachment) => (
          <li key={attachment.id} className="rounded-md border border-border p-2 text-xs">
            {attachment.contentType.startsWith("image/") && attachment.contentType !== "image/svg+xml" ? (
              <img
                src={href(attachment)}
                alt={attachment.filename}
                className="mb-1 h-20 w-full rounded object-cover"
                loading="lazy"
              />
            ) : null}
            <a href={href(attachment)} className="block truncate underline" download={attachment.filename}>
              {attachment.filename}
            </a>
            <span className="text-muted-foreground">{Math.ceil(attachment.size / 1024)} KB</span>
            {canEdit ? (
              <Button
                variant="ghost"
                size="sm"
                aria-label={`Remove ${attachment.filename}`}
                onClick={() => remove.mutate(attachment)}
              >
                Remove
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
      {canEdit ? (
        <input
          ref={input}
          type="file"
          className="sr-only"
          aria-label="Attach a file"
          onChange={(event: ChangeEvent<HTMLInputElement>) => {
            const file = event.target.files?.[0];
            if (file) upload.mutate(file);
            event.target.value = "";
          }}
        />
      ) : null}
      <PermissionButton
        permission="tasks.edit"
        variant="outline"
        size="sm"
        onClick={() => input.current?.click()}
        disabled={upload.isPending}
      >
        {upload.isPending ? "Uploading…" : "Attach a file"}
      </PermissionButton>
    </section>
  );
}
