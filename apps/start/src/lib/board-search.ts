import { optionalStrings } from "./search.ts";

/**
 * A board's URL search: the open task, the saved view, the swimlanes, the layout, the sort of
 * the list and the filters. Route definitions load with the entry chunk: no zod here.
 */
const pick = optionalStrings(
  "task",
  "view",
  "group",
  "layout",
  "sort",
  "dir",
  "state",
  "status",
  "priority",
  "label",
  "assignee",
  "q",
);
export type BoardSearch = Omit<ReturnType<typeof pick>, "layout"> & { layout?: "board" | "list" };

export function validateBoardSearch(search: Record<string, unknown>): BoardSearch {
  const { layout, view, ...rest } = pick(search);
  // `?view=list` was the list layout before saved views took the name: it still is.
  if (view === "list" || view === "board") return { ...rest, layout: view };
  const out: BoardSearch = view ? { ...rest, view } : rest;
  return layout === "list" || layout === "board" ? { ...out, layout } : out;
}

export type SetSearch = (patch: Partial<BoardSearch>) => void;
