/**
 * The goals table of issue 16, printed at the end of every benchmark: each figure beside the
 * limit measured in the same run, their ratio, the goal and whether it was met.
 */

export type GoalRow = {
  name: string;
  /** The measured figure, formatted. */
  figure: string;
  /** The limit it is compared with, formatted, or "-" when the goal is absolute. */
  limit: string;
  /** figure / limit, or null when there is no limit. */
  ratio: number | null;
  goal: string;
  /** null: no goal in the table for this row (reported for information). */
  pass: boolean | null;
};

const verdict = (pass: boolean | null) => (pass === null ? "-" : pass ? "PASS" : "FAIL");

/** Prints the rows as an aligned text table under a heading. */
export function printGoals(heading: string, rows: GoalRow[]): void {
  const cells = rows.map((row) => [
    row.name,
    row.figure,
    row.limit,
    row.ratio === null ? "-" : `${row.ratio.toFixed(2)}x`,
    row.goal,
    verdict(row.pass),
  ]);
  const head = ["figure", "measured", "limit", "ratio", "goal", "result"];
  const widths = head.map((title, i) => Math.max(title.length, ...cells.map((row) => (row[i] ?? "").length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(" | ");
  console.log(`\n${heading}`);
  console.log(line(head));
  console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
  for (const row of cells) console.log(line(row));
}
