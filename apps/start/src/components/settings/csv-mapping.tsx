import type { TCsvMapping } from "@tandem/contracts";

/** The task fields a CSV column can fill, and header words that suggest each. */
const FIELDS: { field: keyof TCsvMapping; label: string; guess: RegExp }[] = [
  { field: "title", label: "Title", guess: /^(title|name|summary|task|subject)$/i },
  { field: "description", label: "Description", guess: /^(description|body|notes?|details|desc)$/i },
  { field: "status", label: "Status", guess: /^(status|state|column|list|stage)$/i },
  { field: "priority", label: "Priority", guess: /^(priority|prio|importance)$/i },
  { field: "labels", label: "Labels", guess: /^(labels?|tags?)$/i },
  { field: "assignees", label: "Assignees (e-mail)", guess: /^(assignees?|owners?|assigned to|e-?mail)$/i },
];

/** A first mapping from the header's names (the person then corrects it). */
export function guessMapping(header: string[]): Partial<TCsvMapping> {
  const mapping: Partial<TCsvMapping> = {};
  for (const { field, guess } of FIELDS) {
    const column = header.find((name) => guess.test(name.trim()));
    if (column) mapping[field] = column;
  }
  return mapping;
}

/** The CSV mapping step: one column per task field (title required). */
export function CsvMapping(props: {
  header: string[];
  mapping: Partial<TCsvMapping>;
  onChange: (mapping: Partial<TCsvMapping>) => void;
}) {
  return (
    <fieldset className="grid gap-2 sm:grid-cols-2" data-testid="csv-mapping">
      <legend className="mb-1 text-sm font-medium">Which column holds each field?</legend>
      {FIELDS.map(({ field, label }) => (
        <label key={field} className="flex items-center justify-between gap-2 text-sm">
          {label}
          <select
            aria-label={`Column for ${label}`}
            className="h-8 w-44 rounded-md border border-border bg-background px-2"
            value={props.mapping[field] ?? ""}
            required={field === "title"}
            onChange={(event) => {
              const next = { ...props.mapping };
              if (event.target.value) next[field] = event.target.value;
              else delete next[field];
              props.onChange(next);
            }}
          >
            <option value="">{field === "title" ? "Choose a column" : "(none)"}</option>
            {props.header.map((column) => (
              <option key={column} value={column}>
                {column}
              </option>
            ))}
          </select>
        </label>
      ))}
    </fieldset>
  );
}
