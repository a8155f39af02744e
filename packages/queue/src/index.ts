import { PgBoss } from "pg-boss";

export const QUEUES = {
  githubEvent: "github-event",
  githubOutbound: "github-outbound",
  githubReconcile: "github-reconcile",
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
  boss.on("error", (error) =>
    console.error(JSON.stringify({ level: "error", msg: "queue error", error: String(error) })),
  );
  await boss.start();
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
      // Wake workers at once on real Postgres; the embedded database is polled.
      notify: false,
    };
    if (!existing.has(deadLetterOf(name)))
      await boss.createQueue(deadLetterOf(name), { retentionSeconds: 30 * 24 * 3600 });
    if (existing.has(name)) await boss.updateQueue(name, options);
    else await boss.createQueue(name, options);
  }
  return boss;
}

export type { Job, PgBoss } from "pg-boss";
