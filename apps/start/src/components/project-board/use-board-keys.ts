import type { TTask } from "@tandem/contracts";
import { type RefObject, useEffect } from "react";

function isTyping(target: EventTarget | null) {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))
  );
}

/** The card keyboard focus is on, if any (the `x` key toggles its selection). */
function focusedTaskId(): string | null {
  const active = document.activeElement;
  return active instanceof HTMLElement
    ? (active.closest("[data-task-id]")?.getAttribute("data-task-id") ?? null)
    : null;
}

/**
 * The board's keys: Cmd/Ctrl+K the palette, C a new task, / the search, J/K move the keyboard
 * selection, Enter opens it, X toggles the focused (or keyboard-selected) card in the
 * multi-selection, Escape clears the multi-selection.
 */
export function useBoardKeys(props: {
  ordered: TTask[];
  selectedId: string | null;
  setSelectedId: (id: string) => void;
  blocked: boolean;
  canCreate: boolean;
  searchRef: RefObject<HTMLInputElement | null>;
  togglePalette: () => void;
  create: () => void;
  open: (task: TTask) => void;
  toggle: (taskId: string) => void;
  clearSelection: () => void;
}) {
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === "k") {
        event.preventDefault();
        props.togglePalette();
        return;
      }
      if (isTyping(event.target) || props.blocked) return;
      const { ordered, selectedId } = props;
      const index = ordered.findIndex((t) => t.id === selectedId);
      const selected = ordered[index];
      if (event.key === "c" && props.canCreate) {
        event.preventDefault();
        props.create();
      } else if (event.key === "/") {
        event.preventDefault();
        props.searchRef.current?.focus();
      } else if (event.key === "j" || event.key === "k") {
        const next = ordered[Math.max(0, Math.min(ordered.length - 1, index + (event.key === "j" ? 1 : -1)))];
        if (next) props.setSelectedId(next.id);
      } else if (event.key === "x") {
        const id = focusedTaskId() ?? selectedId;
        if (id) props.toggle(id);
      } else if (event.key === "Escape") {
        props.clearSelection();
      } else if (event.key === "Enter" && selected && !focusedTaskId()) {
        props.open(selected);
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [props]);
}
