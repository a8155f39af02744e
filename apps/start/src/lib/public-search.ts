import { optionalStrings } from "./search.ts";

// Its own module: route files load with the app's entry, so what they import is on every page
// (the login page too). A task key is short: anything longer is not one.
const taskSearch = optionalStrings("task");

/** A public board's search: `?task=KEY` opens the read-only task view. */
export const validatePublicSearch = (search: Record<string, unknown>): { task?: string } => {
  const { task } = taskSearch(search);
  return task && task.length <= 64 ? { task } : {};
};
