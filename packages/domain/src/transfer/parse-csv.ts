import { TAG_NAME_MAX, TASK_TITLE_MAX, type TCsvMapping } from "@tandem/contracts";
import Papa from "papaparse";
import {
  clipText,
  ImportFileError,
  type ImportPlan,
  MAX_IMPORT_TASKS,
  type PlannedTask,
  priorityFromWord,
  statusFromWord,
} from "./plan.ts";

const LABEL_COLOR = "#6b7280";
const split = (cell: string | undefined) =>
  (cell ?? "")
    .split(/[,;]/)
    .map((part) => part.trim())
    .filter(Boolean);

/** Undoes the CSV export's formula escaping (`'=x` → `=x`, as papaparse's escapeFormulae wrote it). */
const cell = (value: string | undefined) => (value ?? "").replace(/^'(?=[=+\-@\t\r])/, "");

/** The header row of a CSV file (for the mapping step). */
export function csvHeader(text: string): string[] {
  const parsed = Papa.parse<string[]>(text, { preview: 1, skipEmptyLines: true });
  return (parsed.data[0] ?? []).map((cell) => cell.trim());
}

/** A CSV file with a header row, its columns mapped to task fields, as a plan. */
export function planCsv(text: string, mapping: TCsvMapping): ImportPlan {
  const parsed = Papa.parse<Record<string, string>>(text, {
    header: true,
    skipEmptyLines: "greedy",
    transformHeader: (header) => header.trim(),
  });
  const fields = parsed.meta.fields ?? [];
  for (const [field, column] of Object.entries(mapping))
    if (!fields.includes(column)) throw new ImportFileError(`The file has no column "${column}" (mapped to ${field})`);
  if (parsed.data.length > MAX_IMPORT_TASKS) throw new ImportFileError(`At most ${MAX_IMPORT_TASKS} tasks per import`);
  const warnings = parsed.errors.slice(0, 20).map((error) => `Row ${(error.row ?? 0) + 2}: ${error.message}`);
  const labels = new Map<string, string>();
  const tasks: PlannedTask[] = [];
  parsed.data.forEach((row, index) => {
    const line = index + 2;
    const title = clipText(cell(row[mapping.title]).trim(), TASK_TITLE_MAX);
    if (!title) {
      warnings.push(`Row ${line}: no title; skipped`);
      return;
    }
    const statusCell = mapping.status ? (row[mapping.status] ?? "") : "";
    const status = statusCell ? statusFromWord(statusCell) : "todo";
    if (!status) warnings.push(`Row ${line}: unknown status "${statusCell}"; imported as To do`);
    const priorityCell = mapping.priority ? (row[mapping.priority] ?? "") : "";
    const priority = priorityFromWord(priorityCell);
    if (!priority) warnings.push(`Row ${line}: unknown priority "${priorityCell}"; imported as none`);
    const labelKeys = split(mapping.labels ? row[mapping.labels] : undefined).map((name) => {
      const key = name.toLowerCase();
      if (!labels.has(key)) labels.set(key, clipText(name, TAG_NAME_MAX));
      return key;
    });
    tasks.push({
      key: `row:${line}`,
      number: null,
      title,
      description: mapping.description ? cell(row[mapping.description]) : "",
      status: status ?? "todo",
      priority: priority ?? "none",
      visibility: "private",
      categoryKey: null,
      parentKey: null,
      labelKeys: [...new Set(labelKeys)],
      assigneeEmails: split(mapping.assignees ? row[mapping.assignees] : undefined).map((email) => email.toLowerCase()),
      externalAssignees: [],
      rank: null,
      createdByEmail: null,
      createdAt: null,
      updatedAt: null,
      comments: [],
      activity: null,
    });
  });
  return {
    labels: [...labels].map(([key, name]) => ({ key, name, color: LABEL_COLOR })),
    categories: [],
    tasks,
    warnings,
  };
}
