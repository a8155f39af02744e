import { type ComponentType, type LazyExoticComponent, lazy } from "react";

const backOnline = () =>
  navigator.onLine
    ? Promise.resolve()
    : new Promise<void>((resolve) => window.addEventListener("online", () => resolve(), { once: true }));

/**
 * `React.lazy` whose chunk is fetched again (once the browser is back online) when loading it
 * fails, before the failure reaches an error boundary: a connection blip while a part of the
 * page loads late must not take the whole page down.
 */
// biome-ignore lint/suspicious/noExplicitAny: the same bound as React.lazy's own.
export function lazyRetry<T extends ComponentType<any>>(
  load: () => Promise<{ default: T }>,
  attempts = 5,
): LazyExoticComponent<T> {
  return lazy(async () => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await load();
      } catch (error) {
        if (attempt >= attempts) throw error;
        await backOnline();
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  });
}
