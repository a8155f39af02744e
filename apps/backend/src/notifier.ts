import type { Database } from "@tandem/database";
import { followNotifications, type NotifierOptions, sendDueEmails } from "@tandem/domain";
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
  batchDelayMs: 250,
  collapseMs: 120_000,
  emailBatchWindowMs: 300_000,
};

/**
 * Runs the notifier in this process: on a timer, and woken after this process's commits (a
 * mutation never waits for it), `batchDelayMs` later so that a burst of commits is read as one
 * batch (a few set-based statements) rather than one batch each. Runs never overlap; a wake
 * during a run asks for one more, a delay after it ends. Due e-mails are looked for on the timer.
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
  scheduleReminders: NonNullable<NotifierOptions["scheduleReminders"]>;
}) {
  const { config, logger } = options;
  let running: Promise<void> | null = null;
  let stopped = false;
  let delayed: ReturnType<typeof setTimeout> | undefined;
  /** `withEmails`: the timer's runs also send due e-mails (digests wait minutes; a wake need not look). */
  const once = async (withEmails: boolean) => {
    await followNotifications({
      db: options.db,
      collapseMs: config.collapseMs,
      batchSize: 100,
      onInbox: options.onInbox,
      scheduleReminders: options.scheduleReminders,
    });
    if (!withEmails) return;
    await sendDueEmails({
      db: options.db,
      windowMs: config.emailBatchWindowMs,
      send: options.send,
      webOrigin: options.webOrigin,
      apiOrigin: options.apiOrigin,
      secret: options.secret,
    });
  };
  let emailsDue = true;
  let pending = false;
  /** Schedules a run `batchDelayMs` from now (once: later wakes join it). */
  const schedule = () => {
    if (!config.enabled || stopped || delayed) return;
    delayed = setTimeout(run, config.batchDelayMs);
  };
  const run = () => {
    delayed = undefined;
    if (!config.enabled || stopped) return;
    if (running) {
      // Woken during a run: the next one comes a delay after it ends, so a steady stream of
      // commits is read in batches (at most one run per delay), not one run per commit.
      pending = true;
      return;
    }
    const withEmails = emailsDue;
    emailsDue = false;
    running = once(withEmails)
      .catch((error: unknown) => logger.error("notifier run failed", { error: String(error) }))
      .finally(() => {
        running = null;
        if (pending) {
          pending = false;
          schedule();
        }
      });
  };
  const timer = config.enabled
    ? setInterval(() => {
        emailsDue = true;
        run();
      }, config.pollMs)
    : undefined;
  run();
  return {
    wake: schedule,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      clearTimeout(delayed);
      await running;
    },
  };
}
