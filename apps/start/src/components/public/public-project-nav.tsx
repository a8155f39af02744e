import type { TPublicProject } from "@tandem/contracts";
import { Link } from "@tanstack/react-router";

/**
 * The org's public projects as tabs, the shown one marked current; nothing when the org
 * publishes a single project (there is nowhere else to go).
 */
export function PublicProjectNav(props: { slug: string; projects: TPublicProject[]; currentKey: string }) {
  if (props.projects.length < 2) return null;
  return (
    <nav aria-label="Public projects" className="border-b border-border px-4">
      <ul className="flex flex-wrap gap-1">
        {props.projects.map((project) => {
          const current = project.key === props.currentKey;
          return (
            <li key={project.id}>
              <Link
                to="/p/$slug/$projectKey"
                params={{ slug: props.slug, projectKey: project.key }}
                aria-current={current ? "page" : undefined}
                className={`-mb-px inline-flex items-center gap-2 border-b-2 px-3 py-2 text-sm ${
                  current
                    ? "border-foreground font-medium text-foreground"
                    : "border-transparent text-muted-foreground hover:text-foreground"
                }`}
              >
                <span className="size-2 rounded-full" style={{ background: project.color }} aria-hidden />
                {project.name}
                <span className="font-mono text-xs text-muted-foreground">{project.key}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
