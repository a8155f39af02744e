import { PUBLIC_TASK_FIELDS, type TProjectWithStates } from "@tandem/contracts";
import { Checkbox } from "@tandem/ui/components/checkbox";
import { Label } from "@tandem/ui/components/label";
import { Link } from "@tanstack/react-router";
import { useOrg } from "../../lib/org-context.tsx";
import type { useProjectMutations } from "../../lib/projects.ts";
import { PermissionGate } from "../permission-button.tsx";

/** Why a project marked public still shows no board, if it does not. */
function hiddenBecause(project: TProjectWithStates, orgAllows: boolean): string | null {
  if (!project.publicBoard) return null;
  if (!orgAllows) return "Public boards are off for the organization: turn on its public board above first.";
  if (project.archived) return "Archived projects show no public board.";
  return null;
}

/** A project's public board: on or off, the fields its cards show, and a link to it. */
export function ProjectPublicSettings(props: {
  project: TProjectWithStates;
  mutations: ReturnType<typeof useProjectMutations>;
}) {
  const { project, mutations } = props;
  const org = useOrg();
  const patch = (value: { publicBoard?: boolean; publicFields?: string[] }) =>
    mutations.updateProject.mutate({ projectId: project.id, patch: value });
  const hidden = hiddenBecause(project, org.publicBoard);
  return (
    <section aria-labelledby="project-public-heading" className="space-y-3" data-testid="project-public-settings">
      <h3 id="project-public-heading" className="font-medium">
        Public board
      </h3>
      <PermissionGate permission="admin.manageProjects" className="space-y-3">
        {(gate) => (
          <>
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <Checkbox
                id="project-public-board"
                checked={project.publicBoard}
                disabled={gate.disabled}
                aria-describedby={gate.describedBy}
                onCheckedChange={(checked) => patch({ publicBoard: checked === true })}
              />
              <Label htmlFor="project-public-board">Publish {project.name}'s board</Label>
              {project.publicBoard && !hidden ? (
                <Link
                  to="/p/$slug/$projectKey"
                  params={{ slug: org.slug, projectKey: project.key }}
                  target="_blank"
                  rel="noreferrer"
                  className="text-primary underline underline-offset-4"
                >
                  /p/{org.slug}/{project.key}
                </Link>
              ) : null}
            </div>
            {hidden ? (
              <p className="text-sm text-muted-foreground" data-testid="project-public-hidden">
                {hidden}
              </p>
            ) : null}
            <fieldset className="space-y-2" disabled={gate.disabled || !project.publicBoard}>
              <legend className="text-sm text-muted-foreground">Fields its public cards show</legend>
              {PUBLIC_TASK_FIELDS.map((field) => (
                <span key={field} className="mr-4 inline-flex items-center gap-2 text-sm">
                  <Checkbox
                    id={`project-public-field-${field}`}
                    checked={project.publicFields.includes(field)}
                    aria-describedby={gate.describedBy}
                    onCheckedChange={(checked) =>
                      patch({
                        publicFields: checked
                          ? [...project.publicFields, field]
                          : project.publicFields.filter((f) => f !== field),
                      })
                    }
                  />
                  <Label htmlFor={`project-public-field-${field}`}>{field}</Label>
                </span>
              ))}
            </fieldset>
          </>
        )}
      </PermissionGate>
    </section>
  );
}
