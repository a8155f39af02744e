import type { TTask } from "@tandem/contracts";

/** Today in the browser's time zone, as the API writes dates (`2026-12-31`). */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export type DueState = "overdue" | "soon" | "later";

/**
 * How a due date reads on a card: overdue once past, due soon within two days; a finished or
 * canceled task is never overdue.
 */
export function dueState(task: Pick<TTask, "dueDate" | "status">, now = today()): DueState | null {
  if (!task.dueDate || task.status === "done" || task.status === "canceled") return null;
  const days = daysBetween(now, task.dueDate);
  if (days < 0) return "overdue";
  if (days <= 2) return "soon";
  return "later";
}

const formatter = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
/** `Dec 31` for a stored date. */
export const formatDate = (date: string) => formatter.format(new Date(`${date}T00:00:00Z`));
