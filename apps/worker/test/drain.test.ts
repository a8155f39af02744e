import { expect, test } from "bun:test";
import { runGrouped } from "../src/drain.ts";

test("runGrouped keeps each group's order and runs up to `concurrency` groups at once", async () => {
  const jobs = ["a1", "b1", "a2", "c1", "b2", "a3", "d1"];
  const started: string[] = [];
  const finished: string[] = [];
  let running = 0;
  let peak = 0;
  await runGrouped(jobs, { concurrency: 2, groupOf: (job) => job.slice(0, 1) }, async (job) => {
    started.push(job);
    running += 1;
    peak = Math.max(peak, running);
    // Yield a few turns so other lanes interleave.
    for (let i = 0; i < 3; i++) await Promise.resolve();
    running -= 1;
    finished.push(job);
  });
  expect(peak).toBe(2);
  expect(finished.toSorted()).toEqual(jobs.toSorted());
  for (const group of ["a", "b"]) {
    const order = started.filter((job) => job.startsWith(group));
    expect(order).toEqual(jobs.filter((job) => job.startsWith(group)));
  }
  // Two lanes: the first two groups start together, before either finishes its first job.
  expect(started.slice(0, 2)).toEqual(["a1", "b1"]);
});
