import { useCallback, useState } from "react";

type Draft = { base: string; value: string };

/**
 * Local, unsaved input for one text field of a live task. `base` is the server value the
 * user started from, so a remote change is told apart from the user's own edit: while the
 * draft is clean the field follows the server; once dirty it keeps the user's text, and a
 * remote change to the same field is a conflict for the user to settle (keep mine / take
 * theirs). Nothing the server sends ever replaces a dirty draft.
 */
export function useFieldDraft(remote: string, normalize: (value: string) => string = (value) => value) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const same = (a: string, b: string) => normalize(a) === normalize(b);
  const dirty = draft !== null && !same(draft.value, draft.base);
  const value = draft && dirty ? draft.value : remote;
  const conflict = draft !== null && dirty && !same(remote, draft.base) && !same(remote, draft.value);

  const change = useCallback(
    (next: string) =>
      setDraft((current) =>
        current && current.value !== current.base ? { ...current, value: next } : { base: remote, value: next },
      ),
    [remote],
  );
  /** After a save of `saved`: drop the draft, unless the user typed on meanwhile (then rebase on it). */
  const settle = useCallback(
    (saved: string) =>
      setDraft((current) =>
        !current || normalize(current.value) === normalize(saved) ? null : { ...current, base: saved },
      ),
    [normalize],
  );
  const discard = useCallback(() => setDraft(null), []);

  return { value, dirty, conflict, base: draft?.base ?? remote, change, settle, discard };
}
