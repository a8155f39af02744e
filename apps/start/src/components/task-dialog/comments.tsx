import type { TComment, TMember } from "@tandem/contracts";
import { Avatar } from "@tandem/ui/components/avatar";
import { Button } from "@tandem/ui/components/button";
import { toast } from "@tandem/ui/components/toaster";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useLocation } from "@tanstack/react-router";
import { PencilIcon, Trash2Icon } from "lucide-react";
import { useEffect, useState } from "react";
import { unwrap } from "../../lib/api.ts";
import { useServices } from "../../lib/app-context.tsx";
import { useCan } from "../../lib/org-context.tsx";
import { keys, useMe } from "../../lib/queries.ts";
import { MarkdownView } from "../markdown.tsx";
import { MarkdownEditor } from "../markdown-editor.tsx";
import { RelativeTime } from "./relative-time.tsx";

function useCommentActions(orgId: string, taskId: string) {
  const { api } = useServices();
  const queryClient = useQueryClient();
  const route = api.api.orgs[":orgId"].tasks[":taskId"].comments;
  const refresh = () => {
    queryClient.invalidateQueries({ queryKey: keys.comments(orgId, taskId) });
    queryClient.invalidateQueries({ queryKey: keys.activity(orgId, taskId) });
  };
  const options = { onSuccess: refresh, onError: (error: Error) => toast.error(error.message) };
  return {
    add: useMutation({
      mutationFn: (body: string) => unwrap(route.$post({ param: { orgId, taskId }, json: { body } })),
      ...options,
    }),
    edit: useMutation({
      mutationFn: ({ commentId, body }: { commentId: string; body: string }) =>
        unwrap(route[":commentId"].$patch({ param: { orgId, taskId, commentId }, json: { body } })),
      ...options,
    }),
    remove: useMutation({
      mutationFn: (commentId: string) => unwrap(route[":commentId"].$delete({ param: { orgId, taskId, commentId } })),
      ...options,
    }),
  };
}

function CommentItem(props: {
  comment: TComment;
  author: TMember | undefined;
  mayChange: boolean;
  /** The comment a notification link points at (`#comment-<id>`). */
  linked: boolean;
  actions: ReturnType<typeof useCommentActions>;
}) {
  const { comment, actions } = props;
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const name = comment.externalAuthor?.login ?? props.author?.name ?? "Former member";
  const image = comment.externalAuthor?.avatarUrl ?? props.author?.image;
  const saveEdit = () => {
    if (editing?.trim())
      actions.edit.mutate({ commentId: comment.id, body: editing.trim() }, { onSuccess: () => setEditing(null) });
  };
  return (
    <article
      id={`comment-${comment.id}`}
      data-testid="comment"
      className="flex scroll-mt-4 gap-2 rounded-md border border-border p-2 text-sm target:ring-2 target:ring-primary data-[linked=true]:ring-2 data-[linked=true]:ring-primary"
      data-linked={props.linked}
    >
      <Avatar name={name} image={image} size="sm" aria-hidden="true" />
      <div className="min-w-0 flex-1 space-y-1">
        <header className="flex flex-wrap items-center gap-x-2 text-xs text-muted-foreground">
          <span className="font-medium text-foreground">{name}</span>
          <RelativeTime iso={comment.createdAt} />
          {comment.editedAt ? <span title={new Date(comment.editedAt).toLocaleString()}>(edited)</span> : null}
          {props.mayChange && editing === null ? (
            <span className="ml-auto flex gap-1">
              <Button
                variant="ghost"
                size="icon"
                className="size-7"
                aria-label="Edit comment"
                onClick={() => setEditing(comment.body)}
              >
                <PencilIcon aria-hidden="true" />
              </Button>
              <Button
                variant="ghost"
                size="icon"
                className="size-7"
                aria-label="Delete comment"
                onClick={() => setConfirming(true)}
              >
                <Trash2Icon aria-hidden="true" />
              </Button>
            </span>
          ) : null}
        </header>
        {editing !== null ? (
          <MarkdownEditor label="Edit your comment" value={editing} onChange={setEditing} onSubmit={saveEdit} autoFocus>
            <Button variant="outline" size="sm" onClick={() => setEditing(null)}>
              Cancel
            </Button>
            <Button size="sm" aria-label="Save comment" disabled={!editing.trim()} onClick={saveEdit}>
              Save
            </Button>
          </MarkdownEditor>
        ) : (
          <MarkdownView source={comment.body} />
        )}
        {confirming ? (
          <div role="alert" className="flex flex-wrap items-center gap-2 rounded bg-muted p-2">
            <span className="flex-1">Delete this comment?</span>
            <Button variant="outline" size="sm" onClick={() => setConfirming(false)}>
              Keep
            </Button>
            <Button variant="destructive" size="sm" onClick={() => actions.remove.mutate(comment.id)}>
              Delete
            </Button>
          </div>
        ) : null}
      </div>
    </article>
  );
}

/** The task's comments: markdown, with author and time; authors (and administrators) edit and delete. */
export function Comments({ orgId, taskId, members }: { orgId: string; taskId: string; members: TMember[] }) {
  const { api } = useServices();
  const me = useMe();
  const isAdmin = useCan("admin.administrator");
  const actions = useCommentActions(orgId, taskId);
  const [draft, setDraft] = useState("");
  const comments = useQuery({
    queryKey: keys.comments(orgId, taskId),
    queryFn: () => unwrap(api.api.orgs[":orgId"].tasks[":taskId"].comments.$get({ param: { orgId, taskId } })),
  });
  // A notification's link (`#comment-<id>`) lands on its comment once the comments are there.
  const linked = useLocation({ select: (location) => location.hash.replace(/^#/, "") });
  const loaded = Boolean(comments.data);
  useEffect(() => {
    if (loaded && linked.startsWith("comment-")) document.getElementById(linked)?.scrollIntoView({ block: "center" });
  }, [loaded, linked]);
  const submit = () => {
    if (draft.trim()) actions.add.mutate(draft.trim(), { onSuccess: () => setDraft("") });
  };
  return (
    <section aria-labelledby="task-comments-heading" className="space-y-2">
      <h3 id="task-comments-heading" className="text-sm font-semibold">
        Comments
      </h3>
      {comments.data?.map((comment) => (
        <CommentItem
          key={comment.id}
          comment={comment}
          author={members.find((m) => m.userId === comment.authorId)}
          mayChange={Boolean(comment.authorId) && (comment.authorId === me.data?.user.id || isAdmin)}
          linked={linked === `comment-${comment.id}`}
          actions={actions}
        />
      ))}
      <MarkdownEditor
        label="Add a comment"
        value={draft}
        onChange={setDraft}
        onSubmit={submit}
        rows={3}
        placeholder="Add a comment… (markdown)"
      >
        <Button size="sm" disabled={!draft.trim() || actions.add.isPending} onClick={submit}>
          Comment
        </Button>
      </MarkdownEditor>
    </section>
  );
}
