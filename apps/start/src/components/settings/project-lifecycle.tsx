import type { TProjectWithStates } from "@tandem/contracts";
import { Suspense, useState } from "react";
import { lazyRetry } from "../../lib/lazy-retry.ts";
import type { useProjectMutations } from "../../lib/projects.ts";
import { PermissionButton } from "../permission-button.tsx";

const DeleteProjectDialog = lazyRetry(() =>
  import("./delete-project-dialog.tsx").then((m) => ({ default: m.DeleteProjectDialog })),
);

/**
 * Archive (the project leaves the switcher and its public board; its tasks stay) or delete it
 * with its tasks, after a confirmation. The org's last project cannot go (the API says 409).
 */
export function ProjectLifecycle(props: {
  orgId: string;
  project: TProjectWithStates;
  /** Whether it is the org's only project: nothing to fall back to, so no delete. */
  last: boolean;
  mutations: ReturnType<typeof useProjectMutations>;
  onDeleted: () => void;
}) {
  const { project, mutations } = props;
  const [deleting, setDeleting] = useState(false);
  const archive = (archived: boolean) => mutations.updateProject.mutate({ projectId: project.id, patch: { archived } });
  return (
    <section aria-labelledby="project-lifecycle-heading" className="space-y-3" data-testid="project-lifecycle">
      <h3 id="project-lifecycle-heading" className="font-medium">
        Archive or delete
      </h3>
      {project.archived ? (
        <p className="text-sm text-muted-foreground" data-testid="project-archived">
          Archived: hidden from the project switcher and from the public; its tasks are kept.
        </p>
      ) : null}
      <div className="flex flex-wrap items-center gap-2">
        <PermissionButton
          permission="admin.manageProjects"
          size="sm"
          variant="outline"
          disabled={mutations.updateProject.isPending}
          onClick={() => archive(!project.archived)}
        >
          {project.archived ? "Unarchive project" : "Archive project"}
        </PermissionButton>
        <PermissionButton
          permission="admin.manageProjects"
          size="sm"
          variant="destructive"
          disabled={props.last}
          title={props.last ? "An organization keeps at least one project" : undefined}
          onClick={() => setDeleting(true)}
        >
          Delete project…
        </PermissionButton>
      </div>
      {deleting ? (
        <Suspense fallback={null}>
          <DeleteProjectDialog
            orgId={props.orgId}
            project={project}
            onOpenChange={setDeleting}
            onDeleted={() => {
              setDeleting(false);
              props.onDeleted();
            }}
          />
        </Suspense>
      ) : null}
    </section>
  );
}
