/**
 * Runs a batch of jobs in groups: the jobs of one group one after another, in the batch's
 * order, and up to `concurrency` groups at once. The caller fetches the next batch only when
 * this resolves, so a group's order also holds across batches.
 */
export async function runGrouped<Job>(
  jobs: readonly Job[],
  options: { concurrency: number; groupOf: (job: Job) => string },
  run: (job: Job) => Promise<void>,
): Promise<void> {
  const groups = new Map<string, Job[]>();
  for (const job of jobs) {
    const key = options.groupOf(job);
    const group = groups.get(key);
    if (group) group.push(job);
    else groups.set(key, [job]);
  }
  const waiting = [...groups.values()];
  const lane = async () => {
    for (let group = waiting.shift(); group; group = waiting.shift()) {
      for (const job of group) await run(job);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, waiting.length) }, lane));
}
