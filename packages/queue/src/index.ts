import { createLogger, type Logger } from "@tandem/util/server";
import { PgBoss, type SendOptions } from "pg-boss";

export const QUEUES = {
  githubEvent: "github-event",
  githubOutbound: "github-outbound",
  githubReconcile: "github-reconcile",
  dataImport: "data-import",
  /** Due-date reminders, each held back until its time (`startAfter`). */
  dueReminder: "due-reminder",
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export type QueueConfig = {
  connectionString: string;
  /** The embedded database has no LISTEN/NOTIFY across connections: poll only. */
  embedded: boolean;
  /** Attempts before a job goes to its dead-letter queue (1 try + retries). */
  attempts?: number;
  /** First retry delay in seconds; later retries back off exponentially unless `backoff` is false. */
  retryDelaySeconds?: number;
  backoff?: boolean;
  /** How long a job may run before it counts as lost (its worker died) and is retried. */
  expireInSeconds?: number;
  /** How often pg-boss looks for lost jobs. */
  superviseIntervalSeconds?: number;
  /** Where pg-boss's errors go (the worker's logger); a `queue` logger on stdout/stderr otherwise. */
  logger?: Logger;
};

export const deadLetterOf = (name: QueueName) => `${name}-dead`;

/**
 * Durable jobs on Postgres (pg-boss 12): retries with exponential backoff, and a dead-letter
 * queue per queue that failed jobs land in, visible to admins. Jobs survive restarts; a job is
 * held by one worker at a time, so several worker processes never run it twice concurrently.
 */
export async function startQueue(config: QueueConfig): Promise<PgBoss> {
  const url = new URL(config.connectionString);
  url.searchParams.delete("embedded");
  const boss = new PgBoss({
    connectionString: url.toString(),
    useListenNotify: !config.embedded,
    max: config.embedded ? 2 : 5,
    application_name: "tandem-queue",
    superviseIntervalSeconds: config.superviseIntervalSeconds ?? 60,
    monitorIntervalSeconds: config.superviseIntervalSeconds ?? 60,
  });
  const logger = config.logger ?? createLogger({ service: "queue" });
  boss.on("error", (error) => logger.error("queue error", { error: String(error) }));
  await boss.start();
  await ensureQueues(boss, config, true);
  return boss;
}

/** Creates the queues and their dead-letter queues; `update` also applies new settings to existing ones. */
async function ensureQueues(boss: PgBoss, config: Omit<QueueConfig, "connectionString">, update: boolean) {
  const attempts = config.attempts ?? 5;
  const retryDelay = config.retryDelaySeconds ?? 2;
  // Exponential from the first delay, capped at 10 minutes.
  const backoff = config.backoff !== false ? { retryBackoff: true, retryDelayMax: 600 } : { retryBackoff: false };
  const existing = new Set((await boss.getQueues()).map((queue) => queue.name));
  for (const name of Object.values(QUEUES)) {
    const options = {
      retryLimit: attempts - 1,
      retryDelay,
      ...backoff,
      expireInSeconds: config.expireInSeconds ?? 300,
      deadLetter: deadLetterOf(name),
      // Workers poll every half second. pg-boss's per-queue NOTIFY wake-up left our workers
      // idle with jobs waiting in tests, so it stays off until that is understood.
      notify: false,
    };
    if (!existing.has(deadLetterOf(name)))
      await boss.createQueue(deadLetterOf(name), { retentionSeconds: 30 * 24 * 3600 });
    if (existing.has(name)) {
      if (update) await boss.updateQueue(name, options);
    } else await boss.createQueue(name, options);
  }
}

export type { Job, PgBoss, SendOptions } from "pg-boss";

/**
 * A send-only client for processes that queue work but do not run it (the backend): started
 * on first use, no maintenance or cron of its own.
 */
export function queueClient(connectionString: string) {
  let started: Promise<PgBoss> | null = null;
  const boss = () => {
    const url = new URL(connectionString);
    url.searchParams.delete("embedded");
    started ??= (async () => {
      const client = new PgBoss({ connectionString: url.toString(), supervise: false, schedule: false, max: 2 });
      client.on("error", () => {});
      await client.start();
      await ensureQueues(client, { embedded: true }, false);
      return client;
    })();
    return started;
  };
  return {
    /** `options.db`: enqueue inside the caller's transaction; `startAfter`: hold the job until then. */
    send: async (name: QueueName, data: object, options?: SendOptions) => (await boss()).send(name, data, options),
    /**
     * Gives failed jobs whose data contains `data` one more attempt (pg-boss `retry`); answers
     * how many there were (0: none is kept any more).
     */
    retryFailed: async (name: QueueName, data: object) => {
      const client = await boss();
      const failed = (await client.findJobs(name, { data })).filter((job) => job.state === "failed");
      if (failed.length > 0)
        await client.retry(
          name,
          failed.map((job) => job.id),
        );
      return failed.length;
    },
    /** Readiness: the queue's tables answer. */
    ping: async () => {
      try {
        await (await boss()).getQueues();
        return true;
      } catch {
        started = null;
        return false;
      }
    },
    stop: async () => {
      if (started) await (await started).stop({ graceful: false });
    },
  };
}
export type QueueClient = ReturnType<typeof queueClient>;
