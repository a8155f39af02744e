import type { Database } from "@tandem/database";
import { followNotifications, sendDueEmails } from "@tandem/domain";
import type { Mail } from "@tandem/mail";
import type { Logger } from "@tandem/util/server";

export type NotifierConfig = {
  /** Off: this instance leaves notifications to others (or to none: the bench's baseline). */
  enabled: boolean;
  pollMs: number;
  /** A wake runs the notifier this much later: a burst of commits becomes one batch. */
  batchDelayMs: number;
  collapseMs: number;
  emailBatchWindowMs: number;
};

export const DEFAULT_NOTIFIER: NotifierConfig = {
  enabled: true,
  pollMs: 1000,
  batchDelayMs: 100,
  collapseMs: 120_000,
  emailBatchWindowMs: 300_000,
};

/**
 * Runs the notifier in this process: on a timer, and woken after this process's commits (a
 * mutation never waits for it), `batchDelayMs` later so that a burst of commits is read as one
 * batch (a few set-based statements) rather than one batch each. Runs never overlap; a wake
 * during a run asks for one more.
 */
export function startNotifier(options: {
  db: Database;
  config: NotifierConfig;
  logger: Logger;
  send: (mail: Mail) => Promise<void>;
  webOrigin: string;
  apiOrigin: string;
  secret: string;
  onInbox: (userIds: string[]) => void;
}) {
  const { config, logger } = options;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let delayed: ReturnType<typeof setTimeout> | undefined;
  const once = async () => {
    await followNotifications({
      db: options.db,
      collapseMs: config.collapseMs,
      batchSize: 100,
      onInbox: options.onInbox,
    });
    await sendDueEmails({
      db: options.db,
      windowMs: config.emailBatchWindowMs,
      send: options.send,
      webOrigin: options.webOrigin,
      apiOrigin: options.apiOrigin,
      secret: options.secret,
    });
  };
  const run = () => {
    delayed = undefined;
    if (!config.enabled || stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await once().catch((error: unknown) => logger.error("notifier run failed", { error: String(error) }));
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
  };
  const wake = () => {
    if (!config.enabled || stopped || delayed) return;
    delayed = setTimeout(run, config.batchDelayMs);
  };
  const timer = config.enabled ? setInterval(run, config.pollMs) : undefined;
  run();
  return {
    wake,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      clearTimeout(delayed);
      await running;
    },
  };
}
