import type { TCsvMapping, TImport, TImportFormat, TImportPreview } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { toast } from "@tandem/ui/components/toaster";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import Papa from "papaparse";
import { type FormEvent, useState } from "react";
import { unwrap } from "../../lib/api.ts";
import { useServices } from "../../lib/app-context.tsx";
import { useOrg } from "../../lib/org-context.tsx";
import { useProjects } from "../../lib/projects.ts";
import { keys } from "../../lib/queries.ts";
import { CsvMapping, guessMapping } from "./csv-mapping.tsx";

const FORMATS: { value: TImportFormat; label: string; accept: string }[] = [
  { value: "tandem", label: "Tandem export (JSON)", accept: ".json,application/json" },
  { value: "csv", label: "CSV file", accept: ".csv,text/csv" },
  { value: "trello", label: "Trello board (JSON)", accept: ".json,application/json" },
];

function ImportRow({ job }: { job: TImport }) {
  const percent = job.total > 0 ? Math.round((job.done / job.total) * 100) : 100;
  return (
    <li className="space-y-1 py-2 text-sm" data-testid="import" data-status={job.status}>
      <div className="flex justify-between gap-2">
        <span className="truncate font-medium">{job.filename}</span>
        <span className="text-muted-foreground">
          {job.status === "failed" ? `Failed: ${job.error}` : `${job.status} · ${job.done} of ${job.total} tasks`}
        </span>
      </div>
      <progress className="h-1.5 w-full" max={100} value={percent} aria-label={`${job.filename}: ${percent}%`} />
      {job.warnings.length ? (
        <details className="text-xs text-muted-foreground">
          <summary>{job.warnings.length} warning(s)</summary>
          <ul className="list-disc pl-5">
            {job.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </li>
  );
}

function Preview({ preview }: { preview: TImportPreview }) {
  const { counts } = preview;
  return (
    <div role="status" className="space-y-2 rounded-md bg-muted p-3 text-sm" data-testid="import-preview">
      <p>
        Would create {counts.tasks} tasks, {counts.labels} labels, {counts.categories} categories and {counts.comments}{" "}
        comments.
      </p>
      <ul className="list-disc pl-5 text-xs">
        {[...new Map(preview.sample.map((task) => [task.title, task])).values()].slice(0, 5).map((task) => (
          <li key={task.title}>
            {task.title} <span className="text-muted-foreground">({task.status.replace("_", " ")})</span>
          </li>
        ))}
      </ul>
      {preview.warnings.map((warning) => (
        <p key={warning} className="text-xs text-muted-foreground">
          {warning}
        </p>
      ))}
    </div>
  );
}

/** SPEC §15: export the org (JSON, CSV) and import a Tandem export, a CSV or a Trello board. */
export function TransferSettings() {
  const org = useOrg();
  const { api, apiUrl } = useServices();
  const queryClient = useQueryClient();
  const imports = useQuery({
    queryKey: keys.imports(org.id),
    queryFn: () => unwrap(api.api.orgs[":orgId"].imports.$get({ param: { orgId: org.id } })),
    // Progress also arrives as UPDATE_IMPORT events on the admin channel; this keeps it moving
    // on a page that does not follow that channel.
    refetchInterval: (query) =>
      query.state.data?.some((job) => job.status === "queued" || job.status === "running") ? 1000 : false,
  });
  const projects = useProjects(org.id).data?.filter((project) => !project.archived) ?? [];
  const [format, setFormat] = useState<TImportFormat>("tandem");
  /** Where CSV and Trello tasks go (empty: the first project); a Tandem export keeps its own. */
  const [target, setTarget] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [header, setHeader] = useState<string[]>([]);
  const [mapping, setMapping] = useState<Partial<TCsvMapping>>({});
  const [preview, setPreview] = useState<TImportPreview | null>(null);
  const [busy, setBusy] = useState(false);
  // A new key clears the file input after an import is queued.
  const [picks, setPicks] = useState(0);

  function choose(next: File | null) {
    setFile(next);
    setPreview(null);
    setHeader([]);
    if (next && format === "csv")
      Papa.parse<string[]>(next, {
        preview: 1,
        complete: (result) => {
          const names = (result.data[0] ?? []).map((name) => name.trim()).filter(Boolean);
          setHeader(names);
          setMapping(guessMapping(names));
        },
      });
  }

  async function send(dryRun: boolean) {
    if (!file) return;
    const form = new FormData();
    form.set("file", file);
    form.set("format", format);
    if (format === "csv") form.set("mapping", JSON.stringify(mapping));
    if (format !== "tandem" && target) form.set("project", target);
    if (dryRun) form.set("dryRun", "true");
    setBusy(true);
    try {
      const response = await fetch(`${apiUrl}/api/orgs/${org.id}/imports`, {
        method: "POST",
        body: form,
        credentials: "include",
      });
      const body = await response.json().catch(() => null);
      if (!response.ok) throw new Error(body?.error?.message ?? `Import refused (${response.status})`);
      if (dryRun) setPreview(body as TImportPreview);
      else {
        setPreview(null);
        setFile(null);
        setHeader([]);
        setPicks((n) => n + 1);
        toast.success("Import started");
        await queryClient.invalidateQueries({ queryKey: keys.imports(org.id) });
      }
    } catch (error) {
      toast.error(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void send(false);
  };
  const exportUrl = (kind: "json" | "csv", project?: string) =>
    `${apiUrl}/api/orgs/${org.id}/export?format=${kind}${project ? `&project=${encodeURIComponent(project)}` : ""}`;
  const ready = file !== null && (format !== "csv" || Boolean(mapping.title));
  return (
    <section aria-labelledby="transfer-heading" className="space-y-4">
      <h2 id="transfer-heading" className="text-lg font-semibold">
        Import and export
      </h2>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span>Export:</span>
        <Button asChild size="sm" variant="outline">
          <a href={exportUrl("json")}>Whole organization (JSON)</a>
        </Button>
        <Button asChild size="sm" variant="outline">
          <a href={exportUrl("csv")}>Tasks (CSV)</a>
        </Button>
        {projects.length > 1
          ? projects.map((project) => (
              <Button key={project.id} asChild size="sm" variant="ghost">
                <a href={exportUrl("csv", project.key)}>{project.key} tasks (CSV)</a>
              </Button>
            ))
          : null}
      </div>
      <form onSubmit={submit} className="space-y-3 rounded-lg border border-border p-4">
        <div className="flex flex-wrap items-center gap-2">
          <select
            aria-label="Import format"
            className="h-9 rounded-md border border-border bg-background px-2 text-sm"
            value={format}
            onChange={(event) => {
              setFormat(event.target.value as TImportFormat);
              setFile(null);
              setPreview(null);
              setHeader([]);
            }}
          >
            {FORMATS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
          {format !== "tandem" && projects.length > 1 ? (
            <select
              aria-label="Import into project"
              className="h-9 rounded-md border border-border bg-background px-2 text-sm"
              value={target}
              onChange={(event) => setTarget(event.target.value)}
            >
              {projects.map((project, index) => (
                <option key={project.id} value={index === 0 ? "" : project.key}>
                  Into {project.name} ({project.key})
                </option>
              ))}
            </select>
          ) : null}
          <input
            key={`${format}-${picks}`}
            type="file"
            aria-label="File to import"
            accept={FORMATS.find((option) => option.value === format)?.accept}
            className="text-sm"
            onChange={(event) => choose(event.target.files?.[0] ?? null)}
          />
        </div>
        {format === "csv" && header.length ? (
          <CsvMapping header={header} mapping={mapping} onChange={setMapping} />
        ) : null}
        {preview ? <Preview preview={preview} /> : null}
        <div className="flex gap-2">
          <Button type="button" variant="outline" disabled={!ready || busy} onClick={() => void send(true)}>
            Preview
          </Button>
          <Button type="submit" disabled={!ready || busy}>
            Import
          </Button>
        </div>
      </form>
      {imports.data?.length ? (
        <ul className="divide-y divide-border" aria-label="Imports">
          {imports.data.map((job) => (
            <ImportRow key={job.id} job={job} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
