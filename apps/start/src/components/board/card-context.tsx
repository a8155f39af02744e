import { createContext, type MouseEvent, useContext } from "react";

/**
 * What a card shows beyond its task, kept in context so the memoised columns need no new
 * props: the multi-selection and, per task, the keys of its unfinished blockers.
 */
export type CardDecorations = {
  selection: ReadonlySet<string>;
  toggle: (taskId: string) => void;
  blockedBy: ReadonlyMap<string, string[]>;
};

const empty: CardDecorations = { selection: new Set(), toggle: () => undefined, blockedBy: new Map() };
export const CardContext = createContext<CardDecorations>(empty);
export const useCardDecorations = () => useContext(CardContext);

/** Shift, Cmd or Ctrl + click selects instead of opening. */
export const isSelectClick = (event: MouseEvent) => event.shiftKey || event.metaKey || event.ctrlKey;
